import Foundation

/// Asks the cohorts service for cohorts, optionally only those in one registration state or of one start year.
public struct CohortList: MessageContract {
    /// Only cohorts whose registration is in this state on `on`.
    public var registration: RegistrationStatus?
    /// Only cohorts starting in this year.
    public var year: Int?
    /// The day to judge registration by (Europe/London); absent means today.
    public var on: CalendarDate?

    public init(registration: RegistrationStatus? = nil, year: Int? = nil, on: CalendarDate? = nil) {
        self.registration = registration
        self.year = year
        self.on = on
    }

    public static let name = "cohort.list"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Lists cohorts with their registration state, offerings and schedules, optionally only those open (or upcoming, or closed) or of one start year."

    public static var schema: JSONSchema {
        .object(
            [
                "registration": JSONSchema.enumeration(of: RegistrationStatus.self).nullable().described(
                    "Only cohorts whose registration is upcoming, open or closed."),
                "year": JSONSchema.integer(minimum: 2000, maximum: 2100).nullable().described(
                    "Only cohorts starting in this year."),
                "on": JSONSchema.date.nullable().described("The day to judge registration by; absent means today."),
            ],
            required: [])
    }

    public static var example: CohortList { CohortList(registration: .open) }
}
