import Foundation
import MessageContracts

/// One person applying for one course with one lead provider in one cohort, with its two state machines: approval
/// (the provider's decision) and training (after acceptance), and the history of every change.
///
/// The mutating methods check the rules of applications.md and either change the application and return what that
/// produced, or throw an ``ApplicationViolation`` and change nothing.
public struct Application: Codable, Sendable, Equatable {
    public var id: UUID
    /// Who applied, for the same-person checks: the normalised email of the submitting identity.
    public var personKey: String
    public var trn: String?
    public var course: String
    public var leadProvider: String
    public var cohort: String
    /// The funding decision at submission (or an operator's override).
    public var eligibleForFunding: Bool
    public var approval: ApprovalStatus
    /// `nil` until accepted.
    public var training: TrainingStatus?
    public var schedule: String?
    public var fundedPlace: Bool?
    public var acceptedAt: Date?
    public var outcome: ApplicationOutcome?
    public var outcomeOn: CalendarDate?
    /// Whether a paid or payable declaration exists, after which a rejection is refused.
    public var hasPaidDeclaration: Bool
    public var history: [ApplicationChange]

    public init(
        id: UUID, personKey: String, trn: String?, course: String, leadProvider: String, cohort: String,
        eligibleForFunding: Bool, submittedBy: String, at time: Date
    ) {
        self.id = id
        self.personKey = personKey
        self.trn = trn
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.eligibleForFunding = eligibleForFunding
        self.approval = .pending
        self.training = nil
        self.hasPaidDeclaration = false
        self.history = [ApplicationChange(action: "submitted", by: submittedBy, at: time)]
    }

    /// Whether `other` is the same person's (same identity or TRN) application for the same course in the same
    /// cohort.
    public func isSamePersonCourseAndCohort(as other: Application) -> Bool {
        guard other.id != id, CourseIdentity.same(other.course, course), other.cohort == cohort else { return false }
        return other.personKey == personKey || (trn != nil && other.trn == trn)
    }

    // MARK: - Approval

    /// Accepts the application for its lead provider.
    ///
    /// - Parameters:
    ///   - provider: the lead provider the broker-validated sender maps to (`nil` when the sender is not one).
    ///   - others: the applications of the same person for the same course and cohort (see
    ///     ``isSamePersonCourseAndCohort(as:)``); pending ones are to be rejected.
    ///   - schedules: the cohort's schedules with their course groups, when known, and the course's group; a
    ///     named schedule must be one of the group's.
    public mutating func accept(
        provider: String?, by user: String, fundedPlace: Bool?, schedule: String?, fundingMode: FundingMode,
        others: [Application], schedules: [String: CourseGroup]? = nil, courseGroup: CourseGroup? = nil, at time: Date
    ) throws(ApplicationViolation) -> [ApplicationEvent] {
        try requireProvider(provider)
        switch approval {
        case .accepted:
            throw ApplicationViolation(
                field: "applicationID", rule: "already_accepted", "the application is already accepted")
        case .rejected:
            throw ApplicationViolation(
                field: "applicationID", rule: "already_rejected", "the application was rejected; it cannot be accepted")
        case .pending:
            break
        }
        let same = others.filter(isSamePersonCourseAndCohort(as:))
        // The other application is not named: it may be another provider's.
        if same.contains(where: { $0.approval == .accepted && $0.training != .withdrawn }) {
            throw ApplicationViolation(
                field: "applicationID", rule: "already_accepted_same_course_cohort",
                "another application of the same person for \(course) in cohort \(cohort) is already accepted")
        }
        let place: Bool?
        switch fundingMode {
        case .capped:
            guard let fundedPlace else {
                throw ApplicationViolation(
                    field: "fundedPlace", rule: "required_in_capped_cohort",
                    "cohort \(cohort) is capped: say whether the place is funded (fundedPlace true or false)")
            }
            if fundedPlace && !eligibleForFunding {
                throw ApplicationViolation(
                    field: "fundedPlace", rule: "not_eligible_for_funding",
                    "fundedPlace cannot be true: the application is not eligible for funding")
            }
            place = fundedPlace
        case .zero:
            guard fundedPlace == false else {
                throw ApplicationViolation(
                    field: "fundedPlace", rule: "false_in_unfunded_cohort",
                    "cohort \(cohort) is unfunded: fundedPlace must be false")
            }
            place = false
        case .full:
            if fundedPlace == true && !eligibleForFunding {
                throw ApplicationViolation(
                    field: "fundedPlace", rule: "not_eligible_for_funding",
                    "fundedPlace cannot be true: the application is not eligible for funding")
            }
            place = eligibleForFunding
        }
        if let schedule, let schedules {
            guard let group = schedules[schedule] else {
                throw ApplicationViolation(
                    field: "schedule", rule: "schedule_in_cohort", "cohort \(cohort) has no schedule \(schedule)")
            }
            if let courseGroup, group != courseGroup {
                throw ApplicationViolation(
                    field: "schedule", rule: "schedule_for_course_group",
                    "schedule \(schedule) is for \(group.rawValue) courses, but \(course) is a \(courseGroup.rawValue) course"
                )
            }
        }
        approval = .accepted
        training = .active
        self.schedule = schedule
        self.fundedPlace = place
        acceptedAt = time
        history.append(ApplicationChange(action: "accepted", by: user, at: time))
        return [.accepted]
            + same.filter { $0.approval == .pending }.map { .otherApplicationToReject($0.id) }
    }

    /// Rejects the application: by its lead provider from pending, or from accepted unless a paid or payable
    /// declaration exists.
    public mutating func reject(
        provider: String?, by user: String, reason: String?, at time: Date
    )
        throws(ApplicationViolation) -> [ApplicationEvent]
    {
        try requireProvider(provider)
        switch approval {
        case .rejected:
            throw ApplicationViolation(
                field: "applicationID", rule: "already_rejected", "the application is already rejected")
        case .accepted where hasPaidDeclaration:
            throw ApplicationViolation(
                field: "applicationID", rule: "paid_declaration_exists",
                "the application has a paid or payable declaration; it can no longer be rejected")
        default:
            break
        }
        approval = .rejected
        training = nil
        history.append(
            ApplicationChange(
                action: "rejected", by: user, at: time, reason: reason ?? RejectionCause.rejectedByProvider.rawValue))
        return [.rejected(.rejectedByProvider)]
    }

    /// Rejects a pending application automatically, because the same person's application for the same course and
    /// cohort was accepted, or because its registration expired. Anything but pending is left alone.
    public mutating func rejectAutomatically(_ cause: RejectionCause, at time: Date) -> [ApplicationEvent] {
        guard approval == .pending else { return [] }
        approval = .rejected
        history.append(ApplicationChange(action: "rejected", by: "npq-applications", at: time, reason: cause.rawValue))
        return [.rejected(cause)]
    }

    // MARK: - Training

    /// Defers an active participant's training.
    public mutating func deferTraining(
        provider: String?, by user: String, reason: DeferralReason, at time: Date
    )
        throws(ApplicationViolation) -> [ApplicationEvent]
    {
        try requireProvider(provider)
        try requireTraining([.active], becoming: "deferred")
        training = .deferred
        history.append(ApplicationChange(action: "deferred", by: user, at: time, reason: reason.rawValue))
        return [.deferred(reason)]
    }

    /// Resumes a deferred or withdrawn participant's training.
    ///
    /// Refused when another application of the same person for the same course and cohort has been accepted since
    /// (`others`, as for ``accept``): there would be two active places.
    public mutating func resume(
        provider: String?, by user: String, others: [Application] = [], at time: Date
    ) throws(ApplicationViolation) -> [ApplicationEvent] {
        try requireProvider(provider)
        try requireTraining([.deferred, .withdrawn], becoming: "resumed")
        if others.filter(isSamePersonCourseAndCohort(as:)).contains(where: {
            $0.approval == .accepted && $0.training != .withdrawn
        }) {
            throw ApplicationViolation(
                field: "applicationID", rule: "already_accepted_same_course_cohort",
                "another application of the same person for \(course) in cohort \(cohort) is accepted and active")
        }
        training = .active
        history.append(ApplicationChange(action: "resumed", by: user, at: time))
        return [.resumed]
    }

    /// Withdraws an active or deferred participant.
    public mutating func withdraw(
        provider: String?, by user: String, reason: WithdrawalReason, at time: Date
    )
        throws(ApplicationViolation) -> [ApplicationEvent]
    {
        try requireProvider(provider)
        try requireTraining([.active, .deferred], becoming: "withdrawn")
        training = .withdrawn
        history.append(ApplicationChange(action: "withdrawn", by: user, at: time, reason: reason.rawValue))
        return [.withdrawn(reason)]
    }

    /// Records the assessment outcome of an accepted participant on an assessed course.
    public mutating func recordOutcome(
        provider: String?, by user: String, outcome: ApplicationOutcome, completedOn: CalendarDate, at time: Date
    ) throws(ApplicationViolation) -> [ApplicationEvent] {
        try requireProvider(provider)
        guard CourseIdentity.isAssessed(course) else {
            throw ApplicationViolation(
                field: "outcome", rule: "course_not_assessed", "\(course) is not assessed and has no outcome")
        }
        try requireTraining([.active, .deferred], becoming: "given an outcome")
        self.outcome = outcome
        outcomeOn = completedOn
        history.append(ApplicationChange(action: "outcome_recorded", by: user, at: time, reason: outcome.rawValue))
        return [.outcomeRecorded(outcome)]
    }

    // MARK: - Funding

    /// Records a new funding decision after the first (an operator's override by policy) in the history, and whether
    /// the application is now eligible for funding.
    ///
    /// - Parameters:
    ///   - from: the status before; `to`: the status now, and `funded` whether it is funded.
    ///   - user: who changed it (the operator, or the eligibility service).
    public mutating func changeFunding(
        from previous: EligibilityStatus, to status: EligibilityStatus, funded: Bool, by user: String,
        reason: String?, at time: Date
    ) {
        eligibleForFunding = funded
        let why = "\(previous.rawValue) → \(status.rawValue)" + (reason.map { ": \($0)" } ?? "")
        history.append(ApplicationChange(action: "funding_changed", by: user, at: time, reason: why))
    }

    // MARK: - Checks

    /// Only the lead provider the application names may act on it.
    private func requireProvider(_ provider: String?) throws(ApplicationViolation) {
        guard provider == leadProvider else {
            throw ApplicationViolation(
                .unauthorized, field: "applicationID", rule: "named_lead_provider",
                "only the lead provider the application names may act on it")
        }
    }

    /// The application must be accepted with its training in one of `allowed`; `change` names what the command
    /// does in the messages ("deferred", "given an outcome").
    private func requireTraining(_ allowed: [TrainingStatus], becoming change: String) throws(ApplicationViolation) {
        guard approval == .accepted, let training else {
            throw ApplicationViolation(
                field: "applicationID", rule: "not_accepted",
                "the application is \(approval.rawValue); only an accepted one can be \(change)")
        }
        guard allowed.contains(training) else {
            throw ApplicationViolation(
                field: "applicationID", rule: "training_status",
                "the participant's training is \(training.rawValue); it cannot be \(change)")
        }
    }
}
