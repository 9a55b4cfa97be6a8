import Foundation

/// Asks when each cohort's courses start and their outcomes are expected — what the SENCO service needs to say
/// which cohorts can still qualify someone before a deadline.
public struct CohortCalendar: MessageContract {
    /// Only this course group.
    public var courseGroup: CourseGroup?
    /// Only schedules starting on or after this day.
    public var from: CalendarDate?
    /// The day to judge registration by (Europe/London); absent means today.
    public var on: CalendarDate?

    public init(courseGroup: CourseGroup? = nil, from: CalendarDate? = nil, on: CalendarDate? = nil) {
        self.courseGroup = courseGroup
        self.from = from
        self.on = on
    }

    public static let name = "cohort.calendar"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Lists, per cohort and schedule, the start date and expected outcome date, with the cohort's registration window."

    public static var schema: JSONSchema {
        .object(
            [
                "courseGroup": JSONSchema.enumeration(of: CourseGroup.self).nullable().described(
                    "Only this course group."),
                "from": JSONSchema.date.nullable().described("Only schedules starting on or after this day."),
                "on": JSONSchema.date.nullable().described("The day to judge registration by; absent means today."),
            ],
            required: [])
    }

    public static var example: CohortCalendar {
        CohortCalendar(courseGroup: .leadership, from: CalendarDate("2025-09-01"))
    }
}
