import MessageContracts

/// An award that satisfies the duty and the dates it must meet.
public struct QualifyingAward: Codable, Sendable, Equatable {
    /// `npq-senco` or `nasenco`.
    public var award: String
    /// Started on or after this day (the NPQ for SENCOs from 1 Sep 2024).
    public var startedOnOrAfter: CalendarDate?
    /// Started before this day (NASENCO before 1 Sep 2024).
    public var startedBefore: CalendarDate?
    /// Completed before this day (NASENCO before 1 Sep 2027).
    public var completedBefore: CalendarDate?
    /// Whether the duty is met by a passed outcome (the NPQ) or by completion (NASENCO).
    public var qualifiesOn: QualifyingEvent

    public enum QualifyingEvent: String, Codable, Sendable {
        case passedOutcome = "passed_outcome"
        case completion
    }
}
