import Foundation

/// The reply to ``CohortCalendar``.
public struct CohortCalendarResult: MessageContract {
    public var on: CalendarDate
    /// By start date, then cohort and schedule.
    public var entries: [CohortCalendarEntry]

    public init(on: CalendarDate, entries: [CohortCalendarEntry]) {
        self.on = on
        self.entries = entries
    }

    public static let name = "cohort.calendar.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "Start and expected outcome dates per cohort and schedule, by start date."

    public static var schema: JSONSchema {
        .object(
            [
                "on": JSONSchema.date.described("The day registration was judged by."),
                "entries": .array(of: CohortCalendarEntry.schema, maxItems: 10_000).described(
                    "Per cohort and schedule, by start date."),
            ],
            required: ["on", "entries"], additionalProperties: true)
    }

    public static var example: CohortCalendarResult {
        CohortCalendarResult(
            on: CalendarDate("2025-09-01")!,
            entries: [
                CohortCalendarEntry(
                    cohort: "2025a", courseGroup: .leadership, schedule: "npq-leadership-autumn",
                    startDate: CalendarDate("2025-11-17")!, expectedOutcomeDate: CalendarDate("2027-09-17")!,
                    registrationOpens: CalendarDate("2025-06-02")!, registrationCloses: CalendarDate("2025-10-10")!,
                    registrationStatus: .open)
            ])
    }
}
