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
        let priorExceeds = exceeds(spell.priorService, months: p.maxPriorServiceMonths)
        let qualifiedOn = qualificationDay(spell.qualifications, parameters: p, on: today)

        var evaluation = SENCOEvaluation(
            inScope: false, status: .notEnrolled, deadline: nil, alternativeDeadline: nil, nasencoDeadline: nil,
            flags: [], expectedOutcome: nil, recommendedCohort: nil, lastSafeCohort: nil, qualifiedOn: qualifiedOn,
            priorServiceDays: priorDays, reason: "")
        func finish(_ status: SENCOStatus, _ reason: String) -> SENCOEvaluation {
            var result = evaluation
            result.status = status
            result.reason = reason
            // Whether a cohort can still be joined matters only while the duty is being watched.
            result.flags = flags.filter { $0 != .noFeasibleCohort || status.isActive }.sorted {
                $0.rawValue < $1.rawValue
            }
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
        if a.month == 2 && a.day == 29 && !CalendarDate.isLeapYear(a.year + p.deadlineYears) {
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

        // Leaving (rule 7): `endedOn` is the last day as SENCO, so the person has left from the day after.
        if let ended = spell.endedOn, ended < today {
            if ended <= deadline {
                return finish(
                    .leftBeforeDeadline, "Stopped being SENCO on \(ended), on or before the deadline \(deadline).")
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
        if let enrolment = spell.enrolment, !enrolment.accepted, let outcome = enrolmentOutcome {
            return finish(
                .notEnrolled,
                "Applied for cohort \(enrolment.cohort), not yet accepted; its outcome is expected on \(outcome), before the deadline \(deadline)."
            )
        }
        guard let recommended = plan.recommended else {
            return finish(
                .atRisk, "No cohort still open for registration can give an outcome by the deadline \(deadline).")
        }
        return finish(
            .notEnrolled,
            "Not yet on the NPQ for SENCOs: register for cohort \(recommended.cohort) (registration closes \(recommended.registrationCloses)) to have the outcome by \(deadline)."
        )
    }

    // MARK: - Rule helpers

    /// The periods of `periods` with overlapping and touching ones joined.
    static func merged(_ periods: [ServicePeriod]) -> [ServicePeriod] {
        var result: [ServicePeriod] = []
        for period in periods.filter({ $0.from <= $0.to }).sorted(by: { $0.from < $1.from }) {
            if let last = result.last, period.from <= last.to.adding(days: 1) {
                result[result.count - 1].to = max(last.to, period.to)
            } else {
                result.append(period)
            }
        }
        return result
    }

    /// Days of service in `periods`, overlaps counted once.
    public static func priorServiceDays(_ periods: [ServicePeriod]) -> Int {
        merged(periods).reduce(0) { $0 + $1.from.days(until: $1.to) + 1 }
    }

    /// The service in `periods` as whole calendar months and days: each period counts its whole months from its
    /// first day and the days left over; the days of all periods are added up and every 30 of them make a month.
    public static func priorServiceLength(_ periods: [ServicePeriod]) -> (months: Int, days: Int) {
        var months = 0
        var days = 0
        for period in merged(periods) {
            let end = period.to.adding(days: 1)  // the first day no longer served
            var whole = (end.year - period.from.year) * 12 + end.month - period.from.month
            while whole > 0 && period.from.adding(months: whole) > end { whole -= 1 }
            months += whole
            days += period.from.adding(months: whole).days(until: end)
        }
        return (months + days / 30, days % 30)
    }

    /// Whether the service in `periods` is more than `months` months (rule 1: exactly 12 months is in scope, 12
    /// months and a day exempt). A single period is measured by the calendar, so a year that includes 29 February
    /// is still 12 months; separate periods add their leftover days at 30 a month.
    static func exceeds(_ periods: [ServicePeriod], months: Int) -> Bool {
        let length = priorServiceLength(periods)
        return length.months > months || (length.months == months && length.days > 0)
    }

    /// The day the person became qualified on or before `today` (rule 5), the earliest if several.
    static func qualificationDay(
        _ records: [QualificationRecord], parameters p: RegulatoryParameters, on today: CalendarDate
    )
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

    /// Whether the spell relies on a NASENCO: none started in time, one in progress (to be completed by `lastDay`),
    /// or one that can no longer qualify.
    enum NASENCOState { case none, inProgress(lastDay: CalendarDate), lapsed }

    /// A NASENCO started in time and not completed (rule 6): in progress until the completion limit, lapsed after.
    static func nasencoInProgress(
        _ records: [QualificationRecord], parameters p: RegulatoryParameters, on today: CalendarDate
    )
        -> NASENCOState
    {
        guard let award = p.nasenco, let limit = award.completedBefore else { return .none }
        let started = records.filter { record in
            record.award == award.award
                && (award.startedBefore.map { before in record.startedOn.map { $0 < before } ?? false } ?? true)
        }
        guard !started.isEmpty else { return .none }
        let lastDay = limit.adding(days: -1)
        // Completed on a day still to come (recorded ahead) is still in progress today.
        if started.contains(where: { $0.completedOn.map { $0 > today } ?? true }) && today <= lastDay {
            return .inProgress(lastDay: lastDay)
        }
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
