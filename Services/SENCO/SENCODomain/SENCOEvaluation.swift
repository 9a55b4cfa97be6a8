import MessageContracts

/// What the law means for one spell on one day.
public struct SENCOEvaluation: Codable, Sendable, Equatable {
    /// Whether regulation 49(4) applies to the spell (rule 1 and the school type).
    public var inScope: Bool
    public var status: SENCOStatus
    /// D: the third anniversary of appointment, clamped to the month's end; `nil` when out of scope.
    public var deadline: CalendarDate?
    /// The other reading of D for a 29 February appointment (1 March).
    public var alternativeDeadline: CalendarDate?
    /// For a spell relying on a NASENCO in progress: the earlier of D and the last day NASENCO can be completed.
    public var nasencoDeadline: CalendarDate?
    /// Sorted by name.
    public var flags: [SENCOFlag]
    /// When the outcome of the current or planned NPQ is expected.
    public var expectedOutcome: CalendarDate?
    /// The first feasible cohort whose registration has not closed.
    public var recommendedCohort: String?
    /// The last cohort that leaves a resit's margin before D.
    public var lastSafeCohort: String?
    /// The day a qualifying award was achieved.
    public var qualifiedOn: CalendarDate?
    /// Days of earlier SENCO service counted under rule 1.
    public var priorServiceDays: Int
    /// Why the status is what it is, in plain English.
    public var reason: String
}
