import MessageContracts

/// A cohort of the NPQ for SENCOs as the calendar gives it.
public struct CohortOption: Codable, Sendable, Equatable {
    public var cohort: String
    public var startDate: CalendarDate
    public var registrationOpens: CalendarDate
    public var registrationCloses: CalendarDate

    public init(
        cohort: String, startDate: CalendarDate, registrationOpens: CalendarDate, registrationCloses: CalendarDate
    ) {
        self.cohort = cohort
        self.startDate = startDate
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
    }
}
