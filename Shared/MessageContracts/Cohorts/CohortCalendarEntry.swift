import Foundation

/// One schedule of one cohort in a ``CohortCalendarResult``.
public struct CohortCalendarEntry: Codable, Sendable, Hashable {
    public var cohort: String
    public var courseGroup: CourseGroup
    public var schedule: String
    public var startDate: CalendarDate
    /// Start + the group's months to outcome; `nil` for a group without an assessed outcome (EHCO).
    public var expectedOutcomeDate: CalendarDate?
    public var registrationOpens: CalendarDate
    public var registrationCloses: CalendarDate
    public var registrationStatus: RegistrationStatus

    public init(
        cohort: String, courseGroup: CourseGroup, schedule: String, startDate: CalendarDate,
        expectedOutcomeDate: CalendarDate?, registrationOpens: CalendarDate, registrationCloses: CalendarDate,
        registrationStatus: RegistrationStatus
    ) {
        self.cohort = cohort
        self.courseGroup = courseGroup
        self.schedule = schedule
        self.startDate = startDate
        self.expectedOutcomeDate = expectedOutcomeDate
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
        self.registrationStatus = registrationStatus
    }

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "courseGroup": .enumeration(of: CourseGroup.self).described("The course group."),
                "schedule": JSONSchema.scheduleIdentifier.described("The schedule."),
                "startDate": JSONSchema.date.described("The schedule's started milestone."),
                "expectedOutcomeDate": JSONSchema.date.nullable().described(
                    "Start + the group's months to outcome; null when the group has no assessed outcome."),
                "registrationOpens": JSONSchema.date.described("First day of the cohort's registration."),
                "registrationCloses": JSONSchema.date.described("Last day of the cohort's registration."),
                "registrationStatus": .enumeration(of: RegistrationStatus.self).described(
                    "Where the window stands on the day asked about."),
            ],
            required: [
                "cohort", "courseGroup", "schedule", "startDate", "registrationOpens",
                "registrationCloses", "registrationStatus",
            ],
            additionalProperties: true)
    }
}
