import Foundation

/// The pending applications of a cohort were expired.
public struct ApplicationExpiryCompleted: MessageContract {
    public var cohort: String
    /// How many pending applications were rejected as `registration_expired`.
    public var expired: Int
    public var completedAt: Date

    public init(cohort: String, expired: Int, completedAt: Date) {
        self.cohort = cohort
        self.expired = expired
        self.completedAt = completedAt
    }

    public static let name = "application.expiry.completed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "The pending applications of a closed cohort were rejected as registration_expired; how many."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "expired": JSONSchema.integer(minimum: 0).described("Applications rejected as registration_expired."),
                "completedAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["cohort", "expired", "completedAt"], additionalProperties: true)
    }

    public static var example: ApplicationExpiryCompleted {
        ApplicationExpiryCompleted(
            cohort: "2025a", expired: 37, completedAt: RFC3339.parse("2026-01-12T09:00:00Z")!)
    }
}
