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
