import Foundation

/// A cohort as events and replies describe it: its definition and the name people see.
public struct CohortSummary: Codable, Sendable, Equatable {
    /// E.g. `2026b`.
    public var cohort: String
    /// The year for suffix `a`, otherwise the identifier: "2025", "2026b".
    public var name: String
    public var fundingMode: FundingMode
    public var registrationOpens: CalendarDate
    public var registrationCloses: CalendarDate
    public var startDate: CalendarDate
    public var description: String?

    public init(
        cohort: String, name: String, fundingMode: FundingMode, registrationOpens: CalendarDate,
        registrationCloses: CalendarDate, startDate: CalendarDate, description: String? = nil
    ) {
        self.cohort = cohort
        self.name = name
        self.fundingMode = fundingMode
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
        self.startDate = startDate
        self.description = description
    }

    /// Open to added fields, as every part of an event is.
    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort identifier."),
                "name": .string(minLength: 1, maxLength: 16).described("The name people see, e.g. 2025 or 2026b."),
                "fundingMode": .enumeration(of: FundingMode.self).described("How the cohort's places are funded."),
                "registrationOpens": JSONSchema.date.described("First day of registration (Europe/London)."),
                "registrationCloses": JSONSchema.date.described("Last day of registration (Europe/London)."),
                "startDate": JSONSchema.date.described("The day teaching starts."),
                "description": JSONSchema.string(maxLength: 200).nullable().described("A note for people."),
            ],
            required: ["cohort", "name", "fundingMode", "registrationOpens", "registrationCloses", "startDate"],
            additionalProperties: true)
    }

    static var example: CohortSummary {
        CohortSummary(
            cohort: "2026b", name: "2026b", fundingMode: .capped, registrationOpens: CalendarDate("2026-06-23")!,
            registrationCloses: CalendarDate("2026-10-09")!, startDate: CalendarDate("2026-11-16")!,
            description: "autumn 2026")
    }
}
