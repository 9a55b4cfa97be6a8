import Foundation

/// An operator expires, in bulk, the applications of a cohort whose registration has closed and that no lead provider
/// ever accepted or rejected.
public struct ApplicationExpire: MessageContract {
    /// The cohort; its registration must have closed.
    public var cohort: String

    public init(cohort: String) {
        self.cohort = cohort
    }

    public static let name = "application.expire"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator rejects every pending application of a cohort whose registration has closed, with cause registration_expired (one application.rejected each). Answered with application.expiry.completed."

    public static var schema: JSONSchema {
        .object(
            ["cohort": JSONSchema.cohortIdentifier.described("The cohort, whose registration has closed.")],
            required: ["cohort"])
    }

    public static var example: ApplicationExpire { ApplicationExpire(cohort: "2025a") }
}
