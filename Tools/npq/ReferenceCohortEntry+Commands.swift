import CohortsDomain
import MessageContracts

extension CohortDefine {
    /// The command that defines `cohort` as it is.
    init(_ cohort: Cohort) {
        self.init(
            cohort: cohort.identifier, fundingMode: cohort.fundingMode, registrationOpens: cohort.registrationOpens,
            registrationCloses: cohort.registrationCloses, startDate: cohort.startDate,
            description: cohort.description)
    }

    /// The command that defines a cohort as a reply describes it.
    init(_ summary: CohortSummary) {
        self.init(
            cohort: summary.cohort, fundingMode: summary.fundingMode, registrationOpens: summary.registrationOpens,
            registrationCloses: summary.registrationCloses, startDate: summary.startDate,
            description: summary.description)
    }
}

extension ScheduleDefine {
    /// The command that defines a schedule as a reply describes it.
    init(_ details: ScheduleDetails) {
        self.init(
            cohort: details.cohort, schedule: details.schedule, courseGroup: details.courseGroup,
            milestones: details.milestones, note: details.note)
    }
}

extension CohortOfferingSet {
    /// The command that sets an offering as a reply describes it, `offered` always given.
    init(_ details: OfferingDetails) {
        self.init(
            cohort: details.cohort, course: details.course, leadProvider: details.leadProvider,
            recruitmentTarget: details.recruitmentTarget, offered: details.offered)
    }
}
