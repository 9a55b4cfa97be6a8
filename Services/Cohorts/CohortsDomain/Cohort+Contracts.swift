import MessageContracts

extension Cohort {
    /// The cohort defined by a `cohort.define` command.
    public init(_ command: CohortDefine) {
        self.init(
            identifier: command.cohort, fundingMode: command.fundingMode, registrationOpens: command.registrationOpens,
            registrationCloses: command.registrationCloses, startDate: command.startDate,
            description: command.description)
    }

    /// The cohort as events and replies describe it.
    public var summary: CohortSummary {
        CohortSummary(
            cohort: identifier, name: displayName, fundingMode: fundingMode, registrationOpens: registrationOpens,
            registrationCloses: registrationCloses, startDate: startDate, description: description)
    }
}

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

extension Offering {
    /// The offering set by a `cohort.offering.set` command.
    public init(_ command: CohortOfferingSet) {
        self.init(
            cohort: command.cohort, course: command.course, leadProvider: command.leadProvider,
            recruitmentTarget: command.recruitmentTarget, offered: command.offered ?? true)
    }

    /// The offering as events and replies describe it, with its count of accepted applications.
    public func details(acceptedApplications: Int) -> OfferingDetails {
        OfferingDetails(
            cohort: cohort, course: course, leadProvider: leadProvider, recruitmentTarget: recruitmentTarget,
            offered: offered, acceptedApplications: acceptedApplications)
    }
}
