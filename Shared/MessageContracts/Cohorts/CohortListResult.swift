import Foundation

/// The reply to ``CohortList``.
public struct CohortListResult: MessageContract {
    /// The day registration was judged by.
    public var on: CalendarDate
    /// The matching cohorts, by start date.
    public var cohorts: [CohortListing]

    public init(on: CalendarDate, cohorts: [CohortListing]) {
        self.on = on
        self.cohorts = cohorts
    }

    public static let name = "cohort.list.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "The cohorts a cohort.list query asked for, by start date."

    public static var schema: JSONSchema {
        .object(
            [
                "on": JSONSchema.date.described("The day registration was judged by."),
                "cohorts": .array(of: CohortListing.schema, maxItems: 1_000).described("The cohorts, by start date."),
            ],
            required: ["on", "cohorts"], additionalProperties: true)
    }

    public static var example: CohortListResult {
        CohortListResult(
            on: CalendarDate("2026-07-01")!,
            cohorts: [
                CohortListing(
                    cohort: .example, registrationStatus: .open, offerings: [.example],
                    schedules: [
                        ScheduleDetails(
                            cohort: "2026b", schedule: "npq-leadership-autumn", courseGroup: .leadership,
                            milestones: [
                                Milestone(.started, CalendarDate("2026-11-16")!),
                                Milestone(.retained1, CalendarDate("2027-05-17")!),
                                Milestone(.retained2, CalendarDate("2028-01-24")!),
                                Milestone(.completed, CalendarDate("2028-07-25")!),
                            ], note: "estimated")
                    ])
            ])
    }
}
