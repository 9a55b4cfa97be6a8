import MessageContracts

/// The reminders of senco.md: which are due for a spell on a day, which to send given what was already sent, and
/// when to look at the spell again.
public enum SENCOReminders {
    /// Every reminder whose day has come (on or before `today`) and whose condition holds now. None once the
    /// status is no longer active (qualified, exempt, out of scope, left).
    public static func due(
        _ spell: SENCOSpell, evaluation e: SENCOEvaluation, cohorts: [CohortOption], parameters p: RegulatoryParameters,
        on today: CalendarDate
    ) -> [SENCOReminder] {
        candidates(spell, evaluation: e, cohorts: cohorts, parameters: p, on: today).filter { $0.dueOn <= today }
    }

    /// What to send now, and what to mark as passed over, given the keys already sent or passed over and the day
    /// the last routine reminder went out.
    ///
    /// Escalations all go. Of the routine reminders, an earlier step of a series (an older countdown) is passed over
    /// when a later one is due; then at most one goes, the most urgent, and none within `routineGapDays` of the
    /// last; the rest wait for a later sweep.
    public static func select(
        _ due: [SENCOReminder], sent: Set<String>, lastRoutineOn: CalendarDate?, parameters p: RegulatoryParameters,
        on today: CalendarDate
    ) -> (send: [SENCOReminder], passOver: [SENCOReminder]) {
        let unsent = due.filter { !sent.contains($0.key) }
        var send = unsent.filter { !$0.kind.isRoutine }
        var passOver: [SENCOReminder] = []
        var routine: [SENCOReminder] = []
        for series in Dictionary(grouping: unsent.filter(\.kind.isRoutine), by: seriesKey).values {
            let latest = series.max { ($0.dueOn, $0.key) < ($1.dueOn, $1.key) }!
            routine.append(latest)
            passOver += series.filter { $0.key != latest.key }
        }
        let allowed = lastRoutineOn.map { $0.adding(days: p.reminders.routineGapDays) <= today } ?? true
        if allowed, let first = routine.min(by: { (urgency($0), $0.dueOn, $0.key) < (urgency($1), $1.dueOn, $1.key) }) {
            send.append(first)
        }
        return (send.sorted { $0.key < $1.key }, passOver.sorted { $0.key < $1.key })
    }

    /// The first day after `today` on which something about the spell may change: a reminder falls due, a cohort's
    /// registration closes, the deadline passes, a NASENCO lapses. `nil` when the status is final.
    public static func nextCheck(
        _ spell: SENCOSpell, evaluation e: SENCOEvaluation, cohorts: [CohortOption], parameters p: RegulatoryParameters,
        on today: CalendarDate
    ) -> CalendarDate? {
        guard e.status.isActive else { return nil }
        var days = candidates(spell, evaluation: e, cohorts: cohorts, parameters: p, on: today).map(\.dueOn)
        if let deadline = e.deadline { days.append(deadline.adding(days: 1)) }
        days += cohorts.map { $0.registrationCloses.adding(days: 1) }
        days += cohorts.map(\.registrationOpens)
        if let limit = p.nasenco?.completedBefore { days.append(limit) }
        if let ended = spell.endedOn { days.append(ended.adding(days: 1)) }
        // A qualification recorded ahead of its day counts from that day.
        days += spell.qualifications.flatMap { [$0.completedOn, $0.outcomeOn].compactMap { $0 } }
        return days.filter { $0 > today }.min()
    }

    // MARK: - The reminder table

    /// Every reminder the table could give the spell, due or not, whose condition holds on `today`.
    static func candidates(
        _ spell: SENCOSpell, evaluation e: SENCOEvaluation, cohorts: [CohortOption], parameters p: RegulatoryParameters,
        on today: CalendarDate
    ) -> [SENCOReminder] {
        guard e.status.isActive, let deadline = e.deadline else { return [] }
        let appointed = spell.appointmentDay
        let schedule = p.reminders
        var reminders: [SENCOReminder] = []
        let byID = Dictionary(cohorts.map { ($0.cohort, $0) }, uniquingKeysWith: { first, _ in first })
        // Registered (applied or accepted): no need to be told to register. Enrolled (accepted): no escalation —
        // an application not yet accepted does not hold the place, so heads and governors are still told.
        let registered = spell.enrolment != nil
        let enrolled = spell.enrolment?.accepted == true
        let reliesOnNASENCO = e.flags.contains(.nasencoInProgress)

        if e.status == .breach {
            reminders.append(
                SENCOReminder(
                    kind: .breach, key: "breach", dueOn: deadline.adding(days: 1),
                    recipients: [.head, .chair, .sendGovernor]))
            return reminders
        }

        // Registration opens (in scope, not qualified, not enrolled): the recommended cohort, opened after the
        // appointment (the appointment's own reminder names a cohort already open).
        if !registered && !reliesOnNASENCO, let recommended = e.recommendedCohort.flatMap({ byID[$0] }),
            recommended.registrationOpens > appointed, recommended.registrationOpens <= today,
            today <= recommended.registrationCloses
        {
            reminders.append(
                SENCOReminder(
                    kind: .registrationOpened, key: "registration_opened:\(recommended.cohort)",
                    dueOn: recommended.registrationOpens, recipients: [.senco, .head], cohort: recommended.cohort))
        }
        // Registration closes in 6 weeks, 2 weeks, 3 days (the target cohort, not registered).
        if !registered && !reliesOnNASENCO, let target = e.recommendedCohort.flatMap({ byID[$0] }) {
            for days in schedule.registrationClosingDays {
                let day = target.registrationCloses.adding(days: -days)
                guard day >= target.registrationOpens, day >= appointed, today <= target.registrationCloses else {
                    continue
                }
                reminders.append(
                    SENCOReminder(
                        kind: .registrationClosing, key: "registration_closing:\(target.cohort):\(days)d", dueOn: day,
                        recipients: [.senco, .head], cohort: target.cohort))
            }
        }
        // The last safe cohort's registration closed with no enrolment.
        if !enrolled && !reliesOnNASENCO, let lastSafe = e.lastSafeCohort.flatMap({ byID[$0] }),
            lastSafe.registrationCloses >= appointed
        {
            reminders.append(
                SENCOReminder(
                    kind: .lastSafeCohortClosed, key: "last_safe_cohort_closed:\(lastSafe.cohort)",
                    dueOn: lastSafe.registrationCloses.adding(days: 1), recipients: [.head, .sendGovernor],
                    cohort: lastSafe.cohort))
        }
        // No cohort left that can give an outcome by the deadline: the head and governors are told (rule 10).
        if (!enrolled || reliesOnNASENCO) && e.flags.contains(.noFeasibleCohort) {
            let lastClosed = cohorts.filter { $0.startDate.adding(months: p.monthsToOutcome) <= deadline }
                .map(\.registrationCloses).filter { $0 >= appointed }.max()
            reminders.append(
                SENCOReminder(
                    kind: .noFeasibleCohort, key: "no_feasible_cohort",
                    dueOn: max(lastClosed.map { $0.adding(days: 1) } ?? appointed, appointed),
                    recipients: [.head, .sendGovernor]))
        }
        // The deadline countdown (not qualified); governors from 6 months before.
        let steps =
            schedule.deadlineCountdownMonths.map {
                (deadline.adding(months: -$0), "\($0)m", $0 <= schedule.governorsFromMonths)
            }
            + schedule.deadlineCountdownDays.map { (deadline.adding(days: -$0), "\($0)d", true) }
        for (day, label, governors) in steps where day > appointed && today <= deadline {
            reminders.append(
                SENCOReminder(
                    kind: .deadlineCountdown, key: "deadline_countdown:\(label)", dueOn: day,
                    recipients: governors ? [.head, .senco, .sendGovernor] : [.head, .senco]))
        }
        // NASENCO must finish before 1 September 2027.
        if reliesOnNASENCO {
            for day in schedule.nasencoReminderDates where day > appointed {
                reminders.append(
                    SENCOReminder(
                        kind: .nasencoCompletion, key: "nasenco_completion:\(day)", dueOn: day,
                        recipients: [.senco, .head]
                    ))
            }
        }
        // Two weeks after the expected outcome, no outcome recorded.
        if let enrolment = spell.enrolment, enrolment.accepted, let expected = e.expectedOutcome,
            !spell.qualifications.contains(where: { record in
                // An outcome of this attempt: later than one resit cycle before it was expected (a failure that
                // moved the expected outcome on is the previous attempt's).
                record.award == "npq-senco"
                    && (record.outcomeOn.map { $0 > expected.adding(months: -p.resitBufferMonths) } ?? false)
            })
        {
            reminders.append(
                SENCOReminder(
                    kind: .outcomeOverdue, key: "outcome_overdue:\(expected)",
                    dueOn: expected.adding(days: schedule.outcomeOverdueDays), recipients: [.senco, .head]))
        }
        return reminders
    }

    /// Steps of one series replace each other: the countdown, and the closing reminders of one cohort.
    private static func seriesKey(_ reminder: SENCOReminder) -> String {
        switch reminder.kind {
        case .deadlineCountdown, .nasencoCompletion: reminder.kind.rawValue
        case .registrationClosing: "\(reminder.kind.rawValue):\(reminder.cohort ?? "")"
        default: reminder.key
        }
    }

    /// Lower is more urgent.
    private static func urgency(_ reminder: SENCOReminder) -> Int {
        switch reminder.kind {
        case .deadlineCountdown: 0
        case .registrationClosing: 1
        case .nasencoCompletion: 2
        case .registrationOpened: 3
        case .outcomeOverdue: 4
        default: 5
        }
    }
}
