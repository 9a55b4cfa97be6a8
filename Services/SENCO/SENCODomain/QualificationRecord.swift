import MessageContracts

/// A SENCO qualification held or in progress.
public struct QualificationRecord: Codable, Sendable, Equatable {
    /// `npq-senco`, `nasenco`, or another award (which does not qualify).
    public var award: String
    public var startedOn: CalendarDate?
    /// For NASENCO: the day it was completed.
    public var completedOn: CalendarDate?
    /// For the NPQ: `passed` or `failed`.
    public var outcome: AssessmentOutcome?
    public var outcomeOn: CalendarDate?

    public init(
        award: String, startedOn: CalendarDate? = nil, completedOn: CalendarDate? = nil,
        outcome: AssessmentOutcome? = nil, outcomeOn: CalendarDate? = nil
    ) {
        self.award = award
        self.startedOn = startedOn
        self.completedOn = completedOn
        self.outcome = outcome
        self.outcomeOn = outcomeOn
    }
}
