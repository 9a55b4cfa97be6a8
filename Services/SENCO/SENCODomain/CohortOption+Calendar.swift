import MessageContracts

extension CohortOption {
    /// The cohorts of the NPQ for SENCOs (a leadership course) in a cohort calendar: one option per leadership
    /// schedule, starting on its `started` milestone.
    public static func senco(from calendar: [CohortCalendarEntry]) -> [CohortOption] {
        calendar.filter { $0.courseGroup == .leadership }.map {
            CohortOption(
                cohort: $0.cohort, startDate: $0.startDate, registrationOpens: $0.registrationOpens,
                registrationCloses: $0.registrationCloses)
        }
        .sorted { ($0.startDate, $0.cohort) < ($1.startDate, $1.cohort) }
    }
}
