import MessageContracts

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
