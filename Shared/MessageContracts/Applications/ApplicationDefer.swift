import Foundation

/// A lead provider defers an active participant's training.
public struct ApplicationDefer: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// Why.
    public var reason: DeferralReason

    public init(applicationID: UUID, reason: DeferralReason) {
        self.applicationID = applicationID
        self.reason = reason
    }

    public static let name = "application.defer"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A lead provider defers an active participant's training. Only the lead provider the application names may send it (checked against the broker-validated user)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "reason": .enumeration(of: DeferralReason.self).described("Why."),
            ],
            required: ["applicationID", "reason"])
    }

    public static var example: ApplicationDefer {
        ApplicationDefer(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, reason: .parentalLeave)
    }
}
