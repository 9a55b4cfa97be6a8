import MessageContracts

extension Schedule {
    /// The schedule defined by a `schedule.define` command.
    public init(_ command: ScheduleDefine) {
        self.init(
            cohort: command.cohort, identifier: command.schedule, courseGroup: command.courseGroup,
            milestones: command.milestones, note: command.note)
    }

    /// The schedule as events and replies describe it.
    public var details: ScheduleDetails {
        ScheduleDetails(
            cohort: cohort, schedule: identifier, courseGroup: courseGroup, milestones: milestones, note: note)
    }
}
