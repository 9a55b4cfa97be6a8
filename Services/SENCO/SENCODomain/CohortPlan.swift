import MessageContracts

/// Which cohorts can still meet a deadline (rule 10).
public struct CohortPlan: Sendable {
    /// The first feasible cohort whose registration has not closed.
    public let recommended: CohortOption?
    /// The last cohort, among those whose registration closes on or after the appointment, whose expected outcome
    /// plus one resit cycle is on or before the deadline.
    public let lastSafe: CohortOption?
    public let feasible: [CohortOption]

    public init(
        cohorts: [CohortOption], deadline: CalendarDate, appointed: CalendarDate, parameters p: RegulatoryParameters,
        on today: CalendarDate
    ) {
        let ordered = cohorts.sorted { ($0.startDate, $0.cohort) < ($1.startDate, $1.cohort) }
        func outcome(_ cohort: CohortOption) -> CalendarDate { cohort.startDate.adding(months: p.monthsToOutcome) }
        feasible = ordered.filter { outcome($0) <= deadline }
        recommended = feasible.first { $0.registrationCloses >= today }
        lastSafe = ordered.last {
            $0.registrationCloses >= appointed && outcome($0).adding(months: p.resitBufferMonths) <= deadline
        }
    }
}
