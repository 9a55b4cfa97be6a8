import Foundation

/// Defines a schedule of a cohort for a course group, with its milestone dates, or replaces it (operators only).
public struct ScheduleDefine: MessageContract {
    public var cohort: String
    /// E.g. `npq-leadership-autumn`; it must belong to `courseGroup`.
    public var schedule: String
    public var courseGroup: CourseGroup
    /// In declaration order, starting with `started`; `retained-2` for leadership schedules only.
    public var milestones: [Milestone]
    /// Where the dates come from.
    public var note: String?

    public init(
        cohort: String, schedule: String, courseGroup: CourseGroup, milestones: [Milestone], note: String? = nil
    ) {
        self.cohort = cohort
        self.schedule = schedule
        self.courseGroup = courseGroup
        self.milestones = milestones
        self.note = note
    }

    public static let name = "schedule.define"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Defines a schedule of a cohort for one course group with its milestone dates, or replaces it; the cohort must exist and the schedule must belong to the group."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort, which must be defined."),
                "schedule": JSONSchema.scheduleIdentifier.described(
                    "npq-leadership-autumn|spring, npq-specialist-autumn|spring or npq-ehco-november|december|march|june."
                ),
                "courseGroup": .enumeration(of: CourseGroup.self).described("The course group the schedule serves."),
                "milestones": .array(of: Milestone.schema, minItems: 1, maxItems: 8).described(
                    "Declaration types with their dates, in declaration order, starting with started."),
                "note": JSONSchema.string(maxLength: 200).nullable().described("Where the dates come from."),
            ],
            required: ["cohort", "schedule", "courseGroup", "milestones"])
    }

    public static var example: ScheduleDefine {
        let details = ScheduleDetails.example
        return ScheduleDefine(
            cohort: details.cohort, schedule: details.schedule, courseGroup: details.courseGroup,
            milestones: details.milestones, note: details.note)
    }
}
