import Foundation

/// A schedule as events and replies describe it.
public struct ScheduleDetails: Codable, Sendable, Equatable {
    public var cohort: String
    /// E.g. `npq-leadership-autumn`.
    public var schedule: String
    public var courseGroup: CourseGroup
    public var milestones: [Milestone]
    /// Where the dates come from, e.g. "published by DfE" or "estimated".
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

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort the schedule belongs to."),
                "schedule": JSONSchema.scheduleIdentifier.described("The schedule identifier."),
                "courseGroup": .enumeration(of: CourseGroup.self).described("The course group it serves."),
                "milestones": .array(of: Milestone.schema, minItems: 1, maxItems: 8).described(
                    "Declaration types with their dates, in declaration order."),
                "note": JSONSchema.string(maxLength: 200).nullable().described("Where the dates come from."),
            ],
            required: ["cohort", "schedule", "courseGroup", "milestones"], additionalProperties: true)
    }

    static var example: ScheduleDetails {
        ScheduleDetails(
            cohort: "2024a", schedule: "npq-leadership-autumn", courseGroup: .leadership,
            milestones: [
                Milestone(.started, CalendarDate("2024-11-25")!), Milestone(.retained1, CalendarDate("2025-05-26")!),
                Milestone(.retained2, CalendarDate("2026-01-24")!), Milestone(.completed, CalendarDate("2026-07-25")!),
            ], note: "published by DfE")
    }
}
