import MessageContracts

/// A place on the NPQ for SENCOs: planned (applied, not yet accepted) or accepted.
public struct Enrolment: Codable, Sendable, Equatable {
    public var cohort: String
    public var courseStart: CalendarDate
    /// From `participant.scheduled`; otherwise course start + the months to outcome.
    public var expectedOutcome: CalendarDate?
    /// `false` while the application awaits the provider's decision.
    public var accepted: Bool

    public init(cohort: String, courseStart: CalendarDate, expectedOutcome: CalendarDate? = nil, accepted: Bool = true)
    {
        self.cohort = cohort
        self.courseStart = courseStart
        self.expectedOutcome = expectedOutcome
        self.accepted = accepted
    }
}
