import Foundation

/// A cohort's registration window closed.
public struct CohortRegistrationClosed: MessageContract {
    public var cohort: CohortSummary
    public var closedAt: Date

    public init(cohort: CohortSummary, closedAt: Date) {
        self.cohort = cohort
        self.closedAt = closedAt
    }

    public static let name = "cohort.registration.closed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A cohort's registration window closed (published once, after its opening was announced, on the first sweep after the closing day)."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": CohortSummary.schema.described("The cohort."),
                "closedAt": JSONSchema.dateTime.described("When the sweep saw the window closed."),
            ],
            required: ["cohort", "closedAt"], additionalProperties: true)
    }

    public static var example: CohortRegistrationClosed {
        CohortRegistrationClosed(cohort: .example, closedAt: RFC3339.parse("2026-10-10T00:00:05+01:00")!)
    }
}
