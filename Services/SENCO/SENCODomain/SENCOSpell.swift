import MessageContracts

/// One person being the designated SENCO at one school: what the evaluation needs to know.
public struct SENCOSpell: Codable, Sendable, Equatable {
    public var schoolType: SchoolType
    /// The day of appointment A; with month precision, any day of the month (the 1st is assumed).
    public var appointedOn: CalendarDate
    public var datePrecision: DatePrecision
    /// The last day as SENCO at this school, once known.
    public var endedOn: CalendarDate?
    /// Earlier SENCO service at relevant schools, this tracker's earlier spells included.
    public var priorService: [ServicePeriod]
    public var qualifications: [QualificationRecord]
    /// The NPQ for SENCOs the person is registered or enrolled on, if any.
    public var enrolment: Enrolment?
    /// The provider reported engagement below 90%.
    public var lowEngagement: Bool

    public init(
        schoolType: SchoolType, appointedOn: CalendarDate, datePrecision: DatePrecision = .day,
        endedOn: CalendarDate? = nil, priorService: [ServicePeriod] = [], qualifications: [QualificationRecord] = [],
        enrolment: Enrolment? = nil, lowEngagement: Bool = false
    ) {
        self.schoolType = schoolType
        self.appointedOn = appointedOn
        self.datePrecision = datePrecision
        self.endedOn = endedOn
        self.priorService = priorService
        self.qualifications = qualifications
        self.enrolment = enrolment
        self.lowEngagement = lowEngagement
    }

    /// A: the appointment day, the 1st of the month when only the month is known (rule 9).
    public var appointmentDay: CalendarDate {
        datePrecision == .month ? CalendarDate(year: appointedOn.year, month: appointedOn.month, day: 1)! : appointedOn
    }
}

/// A period of SENCO service, both days inclusive.
public struct ServicePeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    /// The last day of service.
    public var to: CalendarDate

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }
}

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

/// The outcome of an assessed NPQ.
public enum AssessmentOutcome: String, Codable, Sendable, CaseIterable {
    case passed
    case failed
}

/// A place on the NPQ for SENCOs: planned (applied, not yet accepted) or accepted.
public struct Enrolment: Codable, Sendable, Equatable {
    public var cohort: String
    public var courseStart: CalendarDate
    /// From `participant.scheduled`; otherwise course start + the months to outcome.
    public var expectedOutcome: CalendarDate?
    /// `false` while the application awaits the provider's decision.
    public var accepted: Bool

    public init(cohort: String, courseStart: CalendarDate, expectedOutcome: CalendarDate? = nil, accepted: Bool = true) {
        self.cohort = cohort
        self.courseStart = courseStart
        self.expectedOutcome = expectedOutcome
        self.accepted = accepted
    }
}

/// A cohort of the NPQ for SENCOs as the calendar gives it.
public struct CohortOption: Codable, Sendable, Equatable {
    public var cohort: String
    public var startDate: CalendarDate
    public var registrationOpens: CalendarDate
    public var registrationCloses: CalendarDate

    public init(cohort: String, startDate: CalendarDate, registrationOpens: CalendarDate, registrationCloses: CalendarDate)
    {
        self.cohort = cohort
        self.startDate = startDate
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
    }
}
