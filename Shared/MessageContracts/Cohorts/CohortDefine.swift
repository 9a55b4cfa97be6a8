import Foundation

/// Defines a cohort or changes its definition (operators only).
public struct CohortDefine: MessageContract {
    /// E.g. `2026b`.
    public var cohort: String
    public var fundingMode: FundingMode
    public var registrationOpens: CalendarDate
    public var registrationCloses: CalendarDate
    public var startDate: CalendarDate
    public var description: String?

    public init(
        cohort: String, fundingMode: FundingMode, registrationOpens: CalendarDate, registrationCloses: CalendarDate,
        startDate: CalendarDate, description: String? = nil
    ) {
        self.cohort = cohort
        self.fundingMode = fundingMode
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
        self.startDate = startDate
        self.description = description
    }

    public static let name = "cohort.define"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Defines a cohort, or replaces its definition: funding mode, registration window (within the start year) and start date. The funding mode cannot change once the cohort has accepted applications."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort identifier, e.g. 2026b."),
                "fundingMode": .enumeration(of: FundingMode.self).described(
                    "full (everyone eligible funded), capped (the provider decides funded places) or zero (unfunded)."),
                "registrationOpens": JSONSchema.date.described("First day of registration (Europe/London)."),
                "registrationCloses": JSONSchema.date.described(
                    "Last day of registration (Europe/London), in the same year as registrationOpens."),
                "startDate": JSONSchema.date.described("The day teaching starts, in the cohort's start year."),
                "description": JSONSchema.string(maxLength: 200).nullable().described(
                    "A note for people, e.g. spring 2026 non-scholarship."),
            ],
            required: ["cohort", "fundingMode", "registrationOpens", "registrationCloses", "startDate"])
    }

    public static var example: CohortDefine {
        CohortDefine(
            cohort: "2026b", fundingMode: .capped, registrationOpens: CalendarDate("2026-06-23")!,
            registrationCloses: CalendarDate("2026-10-09")!, startDate: CalendarDate("2026-11-16")!,
            description: "autumn 2026")
    }
}
