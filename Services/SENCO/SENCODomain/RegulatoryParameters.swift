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

/// When reminders fall due, relative to the deadline, registration windows and outcomes.
public struct ReminderSchedule: Codable, Sendable, Equatable {
    /// Days before a target cohort's registration closes: 42, 14, 3.
    public var registrationClosingDays: [Int]
    /// Months before the deadline: 12, 6, 3, 1.
    public var deadlineCountdownMonths: [Int]
    /// Days before the deadline: 7.
    public var deadlineCountdownDays: [Int]
    /// Governors are told of countdown reminders from this many months before the deadline: 6.
    public var governorsFromMonths: Int
    /// For a spell relying on a NASENCO in progress: 1 Mar, 1 Jun, 1 Aug 2027.
    public var nasencoReminderDates: [CalendarDate]
    /// Days after the expected outcome with no outcome recorded: 14.
    public var outcomeOverdueDays: Int
    /// At most one routine reminder per person in this many days: 7.
    public var routineGapDays: Int
}

/// Every version of the parameters; evaluations use the one in force on their day.
public struct RegulatoryParameterSet: Codable, Sendable, Equatable {
    public var versions: [RegulatoryParameters]

    public init(versions: [RegulatoryParameters]) { self.versions = versions }

    /// The version with the latest `effectiveFrom` on or before `day` (the earliest version before any).
    public func inForce(on day: CalendarDate) -> RegulatoryParameters {
        versions.filter { $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }
            ?? versions.min { $0.effectiveFrom < $1.effectiveFrom }!
    }
}
