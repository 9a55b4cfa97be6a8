import MessageContracts

/// The rules of senco.md, applied to one spell on one day.
public enum SENCODeadline {
    /// Evaluates `spell` on `today` against `cohorts` (the NPQ for SENCOs' cohorts) under `parameters`.
    public static func evaluate(
        _ spell: SENCOSpell, cohorts: [CohortOption], parameters p: RegulatoryParameters, on today: CalendarDate
    ) -> SENCOEvaluation {
        let a = spell.appointmentDay
        var flags: Set<SENCOFlag> = []
        if spell.datePrecision == .month { flags.insert(.datePrecisionMonth) }
        if spell.lowEngagement { flags.insert(.assessmentEligibilityRisk) }
        let priorDays = priorServiceDays(spell.priorService)
        let priorExceeds = exceeds(priorDays, months: p.maxPriorServiceMonths, from: spell.priorService.map(\.from).min())
        let qualifiedOn = qualificationDay(spell.qualifications, parameters: p, on: today)

        var evaluation = SENCOEvaluation(
            inScope: false, status: .notEnrolled, deadline: nil, alternativeDeadline: nil, nasencoDeadline: nil,
            flags: [], expectedOutcome: nil, recommendedCohort: nil, lastSafeCohort: nil, qualifiedOn: qualifiedOn,
            priorServiceDays: priorDays, reason: "")
        func finish(_ status: SENCOStatus, _ reason: String) -> SENCOEvaluation {
            var result = evaluation
            result.status = status
            result.reason = reason
            result.flags = flags.sorted { $0.rawValue < $1.rawValue }
            return result
        }

        // Out of scope or exempt (rules 1 and 2): no deadline; a qualification still shows.
        let outOfScope: (SENCOStatus, String)?
        if !p.inScopeSchoolTypes.contains(spell.schoolType) {
            outOfScope = (
                .outOfScopeSchoolType,
                "The duty applies to mainstream schools and maintained nursery schools, not a \(spell.schoolType.rawValue) school."
            )
        } else if a <= p.scopeStart {
            if a == p.scopeStart { flags.insert(.manualReview) }
            outOfScope = (
                .legacyPre2009,
                a == p.scopeStart
                    ? "Appointed on \(p.scopeStart) itself: the duty covers appointments after that day, so a person must review this case."
                    : "Appointed before \(p.scopeStart): the duty covers appointments after that day."
            )
        } else if priorExceeds {
            outOfScope = (
                .exemptPriorService,
                "Earlier SENCO service totals \(priorDays) days, more than \(p.maxPriorServiceMonths) months: the duty does not apply."
            )
        } else {
            outOfScope = nil
        }
        if let outOfScope {
            if let qualifiedOn { return finish(.qualified, "Qualified on \(qualifiedOn).") }
            return finish(outOfScope.0, outOfScope.1 + " DfE still expects SENCOs to be trained.")
        }

        // In scope: the deadline (rule 3) and the cohorts that can still meet it (rule 10).
        evaluation.inScope = true
        let deadline = a.adding(years: p.deadlineYears)
        evaluation.deadline = deadline
        if a.month == 2 && a.day == 29 {
            evaluation.alternativeDeadline = CalendarDate(year: a.year + p.deadlineYears, month: 3, day: 1)
            flags.insert(.leapDayAmbiguity)
        }
        if priorDays > 0 { flags.insert(.priorSpellAmbiguity) }
        let plan = CohortPlan(cohorts: cohorts, deadline: deadline, appointed: a, parameters: p, on: today)
        evaluation.recommendedCohort = plan.recommended?.cohort
        evaluation.lastSafeCohort = plan.lastSafe?.cohort
        if plan.recommended == nil { flags.insert(.noFeasibleCohort) }

        if let qualifiedOn { return finish(.qualified, "Qualified on \(qualifiedOn), which meets the duty.") }

        // NASENCO started before the NPQ era (rule 6).
        let nasenco = nasencoInProgress(spell.qualifications, parameters: p, on: today)
        switch nasenco {
        case .inProgress(let lastDay):
            flags.insert(.nasencoInProgress)
            evaluation.nasencoDeadline = min(deadline, lastDay)
        case .lapsed:
            flags.insert(.nasencoLapsed)
        case .none:
            break
        }

        // Leaving (rule 7).
        if let ended = spell.endedOn, ended <= today {
            if ended <= deadline {
                return finish(.leftBeforeDeadline, "Stopped being SENCO on \(ended), on or before the deadline \(deadline).")
            }
            flags.insert(.endedInBreach)
            return finish(
                .leftAfterDeadline,
                "Stopped being SENCO on \(ended), after the deadline \(deadline), without a qualifying award.")
        }

        // Breach (rule 4): after D, still SENCO, not qualified.
        if today > deadline {
            return finish(.breach, "Still SENCO after the deadline \(deadline) without a qualifying award.")
        }

        // Enrolment and risk (rules 10–12).
        let enrolmentOutcome = expectedOutcome(spell, parameters: p)
        evaluation.expectedOutcome = enrolmentOutcome
        let margin = deadline.adding(months: -p.atRiskMarginMonths)
        if let enrolment = spell.enrolment, let outcome = enrolmentOutcome {
            if outcome > margin {
                return finish(
                    .atRisk,
                    "The outcome of cohort \(enrolment.cohort) is expected on \(outcome), later than \(p.atRiskMarginMonths) months before the deadline \(deadline)."
                )
            }
            if enrolment.accepted {
                return finish(
                    .enrolled,
                    "Enrolled in cohort \(enrolment.cohort); the outcome is expected on \(outcome), before the deadline \(deadline)."
                )
            }
        }
        if case .inProgress = nasenco {
            if plan.recommended == nil {
                return finish(
                    .atRisk,
                    "Relies on a NASENCO that must be completed by \(evaluation.nasencoDeadline!); if it is not, no cohort of the NPQ still open can give an outcome by \(deadline)."
                )
            }
            return finish(
                .enrolled,
                "Relies on a NASENCO in progress, which must be completed by \(evaluation.nasencoDeadline!).")
        }
        guard let recommended = plan.recommended else {
            return finish(
                .atRisk, "No cohort still open for registration can give an outcome by the deadline \(deadline).")
        }
        if let enrolment = spell.enrolment, !enrolment.accepted {
            return finish(
                .notEnrolled,
                "Applied for cohort \(enrolment.cohort), not yet accepted; its outcome is expected on \(enrolmentOutcome.map(\.description) ?? "an unknown date"), before the deadline \(deadline)."
            )
        }
        return finish(
            .notEnrolled,
            "Not yet on the NPQ for SENCOs: register for cohort \(recommended.cohort) (registration closes \(recommended.registrationCloses)) to have the outcome by \(deadline)."
        )
    }

    // MARK: - Rule helpers

    /// Days of service in `periods`, overlaps counted once.
    public static func priorServiceDays(_ periods: [ServicePeriod]) -> Int {
        let sorted = periods.filter { $0.from <= $0.to }.sorted { $0.from < $1.from }
        var total = 0
        var current: ServicePeriod?
        for period in sorted {
            if var open = current, period.from <= open.to.adding(days: 1) {
                open.to = max(open.to, period.to)
                current = open
            } else {
                if let open = current { total += open.from.days(until: open.to) + 1 }
                current = period
            }
        }
        if let open = current { total += open.from.days(until: open.to) + 1 }
        return total
    }

    /// Whether `days` of service is more than `months` months, measured from `start` so that a single period of
    /// exactly that many calendar months is not more (rule 1: 12 months in scope, 12 months and a day exempt).
    static func exceeds(_ days: Int, months: Int, from start: CalendarDate?) -> Bool {
        guard let start, days > 0 else { return false }
        return start.adding(days: days) > start.adding(months: months)
    }

    /// The day the person became qualified on or before `today` (rule 5), the earliest if several.
    static func qualificationDay(_ records: [QualificationRecord], parameters p: RegulatoryParameters, on today: CalendarDate)
        -> CalendarDate?
    {
        records.compactMap { record -> CalendarDate? in
            guard let award = p.qualifyingAwards.first(where: { $0.award == record.award }) else { return nil }
            if let from = award.startedOnOrAfter, !(record.startedOn.map { $0 >= from } ?? false) { return nil }
            if let before = award.startedBefore, !(record.startedOn.map { $0 < before } ?? false) { return nil }
            let day: CalendarDate?
            switch award.qualifiesOn {
            case .passedOutcome: day = record.outcome == .passed ? record.outcomeOn : nil
            case .completion: day = record.completedOn
            }
            guard let day, day <= today else { return nil }
            if let before = award.completedBefore, day >= before { return nil }
            return day
        }.min()
    }

    enum NASENCOState { case none, inProgress(lastDay: CalendarDate), lapsed }

    /// A NASENCO started in time and not completed (rule 6): in progress until the completion limit, lapsed after.
    static func nasencoInProgress(_ records: [QualificationRecord], parameters p: RegulatoryParameters, on today: CalendarDate)
        -> NASENCOState
    {
        guard let award = p.nasenco, let limit = award.completedBefore else { return .none }
        let started = records.filter { record in
            record.award == award.award && (award.startedBefore.map { before in record.startedOn.map { $0 < before } ?? false } ?? true)
        }
        guard !started.isEmpty else { return .none }
        let lastDay = limit.adding(days: -1)
        if started.contains(where: { $0.completedOn == nil }) && today <= lastDay { return .inProgress(lastDay: lastDay) }
        return .lapsed
    }

    /// When the outcome of the current or planned NPQ is expected: the scheduled date, or course start + the months
    /// to outcome; after a failed outcome, one resit cycle later.
    static func expectedOutcome(_ spell: SENCOSpell, parameters p: RegulatoryParameters) -> CalendarDate? {
        guard let enrolment = spell.enrolment else { return nil }
        let scheduled = enrolment.expectedOutcome ?? enrolment.courseStart.adding(months: p.monthsToOutcome)
        let failed = spell.qualifications.filter { $0.award == "npq-senco" && $0.outcome == .failed }
            .compactMap(\.outcomeOn).max()
        if let failed, failed >= scheduled.adding(months: -p.resitBufferMonths) {
            return max(scheduled, failed.adding(months: p.resitBufferMonths))
        }
        return scheduled
    }
}

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
