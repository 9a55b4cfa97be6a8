import MessageContracts

/// The numbers and dates of regulation 49 and DfE's guidance that the tracker applies, as data: an amendment is a
/// new version in `reference/senco/regulation.json`, not a code change.
public struct RegulatoryParameters: Codable, Sendable, Equatable {
    /// E.g. `SI-2024-535`.
    public var version: String
    /// The first day this version applies to evaluations.
    public var effectiveFrom: CalendarDate
    /// Where the values come from.
    public var source: String
    /// Appointments after this day are in scope (49(4)); one on the day itself goes to manual review.
    public var scopeStart: CalendarDate
    /// Earlier SENCO service of more than this many months exempts (49(4)).
    public var maxPriorServiceMonths: Int
    /// The deadline is this many years after appointment.
    public var deadlineYears: Int
    /// The school types the duty applies to.
    public var inScopeSchoolTypes: [SchoolType]
    /// The awards that satisfy the duty, with their date conditions (49(7)).
    public var qualifyingAwards: [QualifyingAward]
    /// An outcome is expected this many months after a cohort starts.
    public var monthsToOutcome: Int
    /// A cohort is safe when its expected outcome plus this many months (one resit cycle) is on or before the
    /// deadline.
    public var resitBufferMonths: Int
    /// An enrolled spell is at risk when its expected outcome is later than this many months before the deadline.
    public var atRiskMarginMonths: Int
    /// When the reminders of senco.md fall due.
    public var reminders: ReminderSchedule

    /// The award a NASENCO in progress must be completed before, if any award sets such a limit.
    public var nasenco: QualifyingAward? { qualifyingAwards.first { $0.qualifiesOn == .completion } }
}
