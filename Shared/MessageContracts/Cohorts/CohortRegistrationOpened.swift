import Foundation

/// A cohort's registration window opened: applications for its offerings are now taken.
public struct CohortRegistrationOpened: MessageContract {
    public var cohort: CohortSummary
    /// Every offering of the cohort at the moment it opened.
    public var offerings: [OfferingDetails]
    public var openedAt: Date

    public init(cohort: CohortSummary, offerings: [OfferingDetails], openedAt: Date) {
        self.cohort = cohort
        self.offerings = offerings
        self.openedAt = openedAt
    }

    public static let name = "cohort.registration.opened"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A cohort's registration window opened (published once per cohort, on the first sweep on or after the opening day), with its offerings, so that people who registered interest can be told."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": CohortSummary.schema.described("The cohort."),
                "offerings": .array(of: OfferingDetails.schema, maxItems: 10_000).described(
                    "The cohort's offerings when it opened."),
                "openedAt": JSONSchema.dateTime.described("When the sweep saw the window open."),
            ],
            required: ["cohort", "offerings", "openedAt"], additionalProperties: true)
    }

    public static var example: CohortRegistrationOpened {
        CohortRegistrationOpened(
            cohort: .example, offerings: [.example], openedAt: RFC3339.parse("2026-06-23T00:00:05+01:00")!)
    }
}
