import Foundation

/// An accepted participant was given a schedule: its milestones and the date the outcome is expected.
public struct ParticipantScheduled: MessageContract {
    public var applicationID: UUID
    public var cohort: String
    public var course: String
    public var courseGroup: CourseGroup
    public var leadProvider: String
    public var schedule: String
    /// Whether the schedule was chosen by the default rules rather than named by the lead provider.
    public var scheduleDefaulted: Bool
    public var milestones: [Milestone]
    public var startDate: CalendarDate
    /// `nil` for an unassessed course (EHCO).
    public var expectedOutcomeDate: CalendarDate?
    public var scheduledAt: Date

    public init(
        applicationID: UUID, cohort: String, course: String, courseGroup: CourseGroup, leadProvider: String,
        schedule: String, scheduleDefaulted: Bool, milestones: [Milestone], startDate: CalendarDate,
        expectedOutcomeDate: CalendarDate?, scheduledAt: Date
    ) {
        self.applicationID = applicationID
        self.cohort = cohort
        self.course = course
        self.courseGroup = courseGroup
        self.leadProvider = leadProvider
        self.schedule = schedule
        self.scheduleDefaulted = scheduleDefaulted
        self.milestones = milestones
        self.startDate = startDate
        self.expectedOutcomeDate = expectedOutcomeDate
        self.scheduledAt = scheduledAt
    }

    public static let name = "participant.scheduled"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An accepted participant was given a schedule (named by the provider or by the default rules), with every milestone date and the expected outcome date."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The accepted application."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "courseGroup": .enumeration(of: CourseGroup.self).described("The course's group."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "schedule": JSONSchema.scheduleIdentifier.described("The schedule assigned."),
                "scheduleDefaulted": JSONSchema.boolean.described(
                    "True when the default rules chose the schedule; false when the provider named it."),
                "milestones": .array(of: Milestone.schema, minItems: 1, maxItems: 8).described(
                    "The schedule's milestones."),
                "startDate": JSONSchema.date.described("The started milestone, or the cohort's start date."),
                "expectedOutcomeDate": JSONSchema.date.nullable().described(
                    "When the outcome is expected; null for an unassessed course."),
                "scheduledAt": JSONSchema.dateTime.described("When the schedule was assigned."),
            ],
            required: [
                "applicationID", "cohort", "course", "courseGroup", "leadProvider", "schedule", "scheduleDefaulted",
                "milestones", "startDate", "scheduledAt",
            ],
            additionalProperties: true)
    }

    public static var example: ParticipantScheduled {
        let schedule = ScheduleDetails.example
        return ParticipantScheduled(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, cohort: schedule.cohort,
            course: "npq-senco", courseGroup: .leadership, leadProvider: "teach-first", schedule: schedule.schedule,
            scheduleDefaulted: true, milestones: schedule.milestones, startDate: CalendarDate("2024-11-25")!,
            expectedOutcomeDate: CalendarDate("2026-09-25")!, scheduledAt: RFC3339.parse("2024-09-02T10:15:00+01:00")!)
    }
}
