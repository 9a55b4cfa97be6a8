import Foundation

/// A lead provider records a participant's assessment outcome (assessed courses only).
public struct ApplicationOutcomeRecord: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// passed or failed.
    public var outcome: ApplicationOutcome
    /// The day the outcome was given.
    public var completedOn: CalendarDate

    public init(applicationID: UUID, outcome: ApplicationOutcome, completedOn: CalendarDate) {
        self.applicationID = applicationID
        self.outcome = outcome
        self.completedOn = completedOn
    }

    public static let name = "application.outcome.record"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A lead provider records a participant's assessment outcome (assessed courses only). Only the lead provider the application names may send it (checked against the broker-validated user)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "outcome": .enumeration(of: ApplicationOutcome.self).described("passed or failed."),
                "completedOn": JSONSchema.date.described("The day the outcome was given."),
            ],
            required: ["applicationID", "outcome", "completedOn"])
    }

    public static var example: ApplicationOutcomeRecord {
        ApplicationOutcomeRecord(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, outcome: .passed,
            completedOn: CalendarDate("2028-07-21")!)
    }
}
