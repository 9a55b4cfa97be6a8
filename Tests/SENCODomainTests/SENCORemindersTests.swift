import MessageContracts
import SENCODomain
import Testing

private typealias F = SENCOFixtures

/// Appointed 1 May 2025, D = 1 May 2028, not enrolled. Cohort 2025a (opens 2 Jun, closes 10 Oct 2025) is the only
/// one that can make it, and is safe; its registration opens after the appointment.
private let spring = F.spell("2025-05-01")
/// Appointed 1 September 2025, D = 1 September 2028, accepted on cohort 2025a (outcome expected 17 Sep 2027).
private let autumnEnrolled = F.spell("2025-09-01", enrolment: F.enrolment("2025a"))
/// Appointed 6 January 2025, D = 6 January 2028, relying on a NASENCO started 1 March 2024.
private let nasencoReliant = F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-03-01")])

private func reminder(_ spell: SENCOSpell, _ key: String, on day: String) -> SENCOReminder? {
    F.due(spell, on: day).first { $0.key == key }
}

@Suite("Reminders: what falls due, to whom")
struct SENCORemindersDueTests {
    @Test(
        "Reminders: deadline countdown at D − 12 months, − 6, − 3, − 1 and − 1 week; governors from D − 6 months",
        arguments: [
            ("deadline_countdown:12m", "2027-09-01", false),
            ("deadline_countdown:6m", "2028-03-01", true),
            ("deadline_countdown:3m", "2028-06-01", true),
            ("deadline_countdown:1m", "2028-08-01", true),
            ("deadline_countdown:7d", "2028-08-25", true),
        ])
    func deadlineCountdown(key: String, day: String, governors: Bool) throws {
        #expect(reminder(autumnEnrolled, key, on: date(day).adding(days: -1).description) == nil)
        let r = try #require(reminder(autumnEnrolled, key, on: day))
        #expect(r.kind == .deadlineCountdown)
        #expect(r.kind.isRoutine)
        #expect(r.dueOn == date(day))
        #expect(Set(r.recipients) == (governors ? [.head, .senco, .sendGovernor] : [.head, .senco]))
        // Still due (unsent) on the last day before D.
        #expect(reminder(autumnEnrolled, key, on: "2028-08-31")?.dueOn == date(day))
    }

    @Test("Reminders: the whole countdown for a spell, on the last day before D")
    func wholeCountdown() {
        let countdown = F.due(autumnEnrolled, on: "2028-08-31").filter { $0.kind == .deadlineCountdown }
        #expect(
            countdown.map(\.dueOn).sorted()
                == ["2027-09-01", "2028-03-01", "2028-06-01", "2028-08-01", "2028-08-25"].map(date))
        // A leap-day appointee counts down from 28 February 2027.
        let leap = F.due(F.spell("2024-02-29"), on: "2027-02-27").filter { $0.kind == .deadlineCountdown }
        #expect(
            leap.map(\.dueOn).sorted()
                == ["2026-02-28", "2026-08-28", "2026-11-28", "2027-01-28", "2027-02-21"].map(date))
    }

    @Test("Reminders: breach notice on D + 1 to the head, the chair and the SEND governor, an escalation")
    func breachNotice() throws {
        #expect(!F.due(spring, on: "2028-05-01").contains { $0.kind == .breach })
        let due = F.due(spring, on: "2028-05-02")
        #expect(due.map(\.kind) == [.breach])
        let breach = try #require(due.first)
        #expect(breach.key == "breach")
        #expect(breach.dueOn == date("2028-05-02"))
        #expect(Set(breach.recipients) == [.head, .chair, .sendGovernor])
        #expect(!breach.kind.isRoutine)
        #expect(F.due(spring, on: "2028-06-01").map(\.key) == ["breach"])
    }

    @Test(
        "Reminders: registration closing 6 weeks, 2 weeks and 3 days before the recommended cohort closes",
        arguments: [
            ("registration_closing:2025a:42d", "2025-08-29"),
            ("registration_closing:2025a:14d", "2025-09-26"),
            ("registration_closing:2025a:3d", "2025-10-07"),
        ])
    func registrationClosing(key: String, day: String) throws {
        #expect(reminder(spring, key, on: date(day).adding(days: -1).description) == nil)
        let r = try #require(reminder(spring, key, on: day))
        #expect(r.kind == .registrationClosing)
        #expect(r.dueOn == date(day))
        #expect(r.cohort == "2025a")
        #expect(Set(r.recipients) == [.senco, .head])
        // Still due on the closing day; gone once registration has closed.
        #expect(reminder(spring, key, on: "2025-10-10") != nil)
        #expect(reminder(spring, key, on: "2025-10-11") == nil)
    }

    @Test("Reminders: closing steps that fall before the appointment are not given")
    func closingStepsBeforeAppointment() {
        // Appointed 1 September 2025: 6 weeks before 10 October is 29 August.
        let keys = F.due(F.spell("2025-09-01"), on: "2025-10-07").filter { $0.kind == .registrationClosing }.map(\.key)
        #expect(keys.sorted() == ["registration_closing:2025a:14d", "registration_closing:2025a:3d"])
    }

    @Test("Reminders: registration opened for the recommended cohort, to the SENCO and head")
    func registrationOpened() throws {
        #expect(reminder(spring, "registration_opened:2025a", on: "2025-06-01") == nil)
        let r = try #require(reminder(spring, "registration_opened:2025a", on: "2025-06-02"))
        #expect(r.kind == .registrationOpened)
        #expect(r.dueOn == date("2025-06-02"))
        #expect(r.cohort == "2025a")
        #expect(Set(r.recipients) == [.senco, .head])
        // Appointed after the window opened: the appointment's own message names the cohort instead.
        #expect(!F.due(F.spell("2025-09-01"), on: "2025-09-01").contains { $0.kind == .registrationOpened })
    }

    @Test(
        "Reminders: no registration reminders once registered, applied or accepted; escalations stop only when accepted",
        arguments: [true, false])
    func noRegistrationRemindersWhenRegistered(accepted: Bool) {
        let registered = F.spell("2025-05-01", enrolment: F.enrolment("2025a", accepted: accepted))
        for day in ["2025-06-02", "2025-09-26", "2025-10-07", "2025-10-11"] {
            let kinds = Set(F.due(registered, on: day).map(\.kind))
            #expect(kinds.isDisjoint(with: [.registrationOpened, .registrationClosing]))
        }
        // An application not yet accepted does not hold the place: heads and governors are still told.
        let escalated = F.due(registered, on: "2025-10-11").contains { $0.kind == .lastSafeCohortClosed }
        #expect(escalated == !accepted)
    }

    @Test("Reminders: last safe cohort's registration closed with no enrolment → head and SEND governor, an escalation")
    func lastSafeCohortClosed() throws {
        #expect(reminder(spring, "last_safe_cohort_closed:2025a", on: "2025-10-10") == nil)
        let r = try #require(reminder(spring, "last_safe_cohort_closed:2025a", on: "2025-10-11"))
        #expect(r.kind == .lastSafeCohortClosed)
        #expect(r.dueOn == date("2025-10-11"))
        #expect(r.cohort == "2025a")
        #expect(Set(r.recipients) == [.head, .sendGovernor])
        #expect(!r.kind.isRoutine)
        #expect(F.evaluate(spring, on: "2025-10-11").status == .atRisk)
    }

    @Test("Reminders: on recording an appointment the evaluation has what the message needs; it is not held back")
    func appointmentRecorded() {
        let e = F.evaluate(spring, on: "2025-05-01")
        #expect(e.status == .notEnrolled)
        #expect(e.deadline == date("2028-05-01"))
        #expect(e.recommendedCohort == "2025a")
        #expect(e.lastSafeCohort == "2025a")
        #expect(!SENCOReminderKind.appointmentRecorded.isRoutine)
        let message = SENCOReminder(
            kind: .appointmentRecorded, key: "appointment_recorded", dueOn: date("2025-05-01"),
            recipients: [.head, .senco])
        let chosen = SENCOReminders.select(
            [message], sent: [], lastRoutineOn: date("2025-04-30"), parameters: F.parameters, on: date("2025-05-01"))
        #expect(chosen.send == [message])
    }

    @Test("Reminders: when no feasible cohort is left, the head and the SEND governor are told (rule 10)")
    func noneLeftTellsHeadAndGovernors() throws {
        // Appointed 29 Feb 2024, D = 28 Feb 2027: cohort 2024a (outcome 25 Sep 2026) is feasible but never safe, so
        // there is no last safe cohort whose closing would tell them. It closes on 31 October 2024.
        let spell = F.spell("2024-02-29")
        #expect(!F.due(spell, on: "2024-10-31").contains { $0.kind == .noFeasibleCohort })
        let e = F.evaluate(spell, on: "2024-11-01")
        #expect(e.status == .atRisk)
        #expect(e.lastSafeCohort == nil)
        #expect(e.flags.contains(.noFeasibleCohort))
        let due = F.due(spell, on: "2024-11-01")
        #expect(!due.contains { $0.kind == .lastSafeCohortClosed })
        let r = try #require(due.first { $0.kind == .noFeasibleCohort })
        #expect(r.key == "no_feasible_cohort")
        #expect(r.dueOn == date("2024-11-01"))
        #expect(Set(r.recipients) == [.head, .sendGovernor])
        #expect(r.cohort == nil)
        #expect(!r.kind.isRoutine)
    }

    @Test(
        "Reminders: no feasible cohort — due the day after the last feasible cohort closed (on or after A)",
        arguments: [
            // A = 1 May 2025, D = 1 May 2028: 2024a closed before A; 2025a, the last feasible, closes 10 Oct 2025.
            ("2025-05-01", "2025-10-11"),
            // A = 1 Sep 2025, D = 1 Sep 2028: 2026b (outcome 16 Sep 2028) is not feasible, so still 2025a.
            ("2025-09-01", "2025-10-11"),
            // A = 5 Jan 2026, D = 5 Jan 2029: 2026b (outcome 16 Sep 2028) is the last feasible; it closes 9 Oct 2026.
            ("2026-01-05", "2026-10-10"),
        ])
    func noFeasibleCohortDueDay(appointed: String, dueOn: String) throws {
        let spell = F.spell(appointed)
        let dayBefore = date(dueOn).adding(days: -1).description
        #expect(!F.due(spell, on: dayBefore).contains { $0.kind == .noFeasibleCohort })
        #expect(!F.evaluate(spell, on: dayBefore).flags.contains(.noFeasibleCohort))
        #expect(F.nextCheck(spell, on: dayBefore).map { $0 <= date(dueOn) } == true)
        let r = try #require(reminder(spell, "no_feasible_cohort", on: dueOn))
        #expect(r.kind == .noFeasibleCohort)
        #expect(r.dueOn == date(dueOn))
        #expect(Set(r.recipients) == [.head, .sendGovernor])
        #expect(F.evaluate(spell, on: dueOn).status == .atRisk)
        // Still due (unsent) later on; once D has passed the breach notice takes over.
        let deadline = try #require(F.evaluate(spell, on: dueOn).deadline)
        #expect(reminder(spell, "no_feasible_cohort", on: deadline.description)?.dueOn == date(dueOn))
        #expect(F.due(spell, on: deadline.adding(days: 1).description).map(\.kind) == [.breach])
    }

    @Test("Reminders: no feasible cohort, none closed since the appointment — due on the appointment day itself")
    func noFeasibleCohortOnAppointment() throws {
        // Only cohorts that closed before the appointment: A = 13 Oct 2025, D = 13 Oct 2028; 2025a closed on 10 Oct.
        let cohorts = Array(F.novemberCohorts.prefix(2))
        let spell = F.spell("2025-10-13")
        let e = F.evaluate(spell, on: "2025-10-13", cohorts: cohorts)
        #expect(e.flags.contains(.noFeasibleCohort))
        #expect(e.status == .atRisk)
        let r = try #require(F.due(spell, on: "2025-10-13", cohorts: cohorts).first { $0.kind == .noFeasibleCohort })
        #expect(r.dueOn == date("2025-10-13"))
        #expect(Set(r.recipients) == [.head, .sendGovernor])
        // A cohort that closed before the appointment never makes it due earlier than the appointment.
        #expect(r.dueOn >= spell.appointmentDay)
        // Escalations are not held back by a routine reminder the day before.
        let chosen = SENCOReminders.select(
            [r], sent: [], lastRoutineOn: date("2025-10-12"), parameters: F.parameters, on: date("2025-10-13"))
        #expect(chosen.send == [r])
    }

    @Test(
        "Reminders: no feasible cohort is not told while accepted on a cohort, but is while only applied, and for NASENCO reliance"
    )
    func noFeasibleCohortOnlyWhenUnregisteredOrNASENCO() throws {
        // A = 1 May 2025, D = 1 May 2028: no feasible cohort open from 11 October 2025.
        for accepted in [true, false] {
            let registered = F.spell("2025-05-01", enrolment: F.enrolment("2025a", accepted: accepted))
            #expect(F.evaluate(registered, on: "2025-10-11").flags.contains(.noFeasibleCohort))
            for day in ["2025-10-11", "2026-06-01", "2028-04-30"] {
                #expect(F.due(registered, on: day).contains { $0.kind == .noFeasibleCohort } == !accepted)
            }
        }
        // Relying on a NASENCO in progress: told once 2025a, the last feasible cohort, has closed.
        #expect(reminder(nasencoReliant, "no_feasible_cohort", on: "2025-10-10") == nil)
        let r = try #require(reminder(nasencoReliant, "no_feasible_cohort", on: "2025-10-11"))
        #expect(r.dueOn == date("2025-10-11"))
        #expect(Set(r.recipients) == [.head, .sendGovernor])
        // While a feasible cohort is still open it is not due at all.
        #expect(!F.due(spring, on: "2025-10-10").contains { $0.kind == .noFeasibleCohort })
    }

    @Test(
        "Reminders: a NASENCO-reliant spell is told on 1 March, 1 June and 1 August 2027",
        arguments: ["2027-03-01", "2027-06-01", "2027-08-01"])
    func nasencoReminders(day: String) throws {
        let key = "nasenco_completion:\(day)"
        #expect(reminder(nasencoReliant, key, on: date(day).adding(days: -1).description) == nil)
        let r = try #require(reminder(nasencoReliant, key, on: day))
        #expect(r.kind == .nasencoCompletion)
        #expect(r.dueOn == date(day))
        #expect(Set(r.recipients) == [.senco, .head])
        #expect(reminder(nasencoReliant, key, on: "2027-08-31") != nil)
        // Lapsed on 1 September 2027: the NASENCO reminders end.
        #expect(!F.due(nasencoReliant, on: "2027-09-01").contains { $0.kind == .nasencoCompletion })
    }

    @Test("Reminders: no NASENCO reminders for a spell not relying on one")
    func noNASENCORemindersOtherwise() {
        #expect(!F.due(F.spell("2025-01-06"), on: "2027-08-01").contains { $0.kind == .nasencoCompletion })
        let completed = F.spell(
            "2025-01-06", qualifications: [F.nasenco(started: "2024-03-01", completed: "2027-02-26")])
        #expect(F.due(completed, on: "2027-08-01").isEmpty)
    }

    @Test("Reminders: outcome overdue at the expected outcome + 14 days with no outcome recorded")
    func outcomeOverdue() throws {
        #expect(reminder(autumnEnrolled, "outcome_overdue:2027-09-17", on: "2027-09-30") == nil)
        let r = try #require(reminder(autumnEnrolled, "outcome_overdue:2027-09-17", on: "2027-10-01"))
        #expect(r.kind == .outcomeOverdue)
        #expect(r.dueOn == date("2027-10-01"))
        #expect(Set(r.recipients) == [.senco, .head])
        // A scheduled outcome date moves it.
        let scheduled = F.spell("2025-09-01", enrolment: F.enrolment("2025a", expectedOutcome: "2027-08-20"))
        #expect(reminder(scheduled, "outcome_overdue:2027-08-20", on: "2027-09-03")?.dueOn == date("2027-09-03"))
        // Once the passed outcome is recorded: qualified, no reminder.
        var passed = autumnEnrolled
        passed.qualifications = [F.npq(started: "2025-11-17", outcome: .passed, on: "2027-09-24")]
        #expect(F.due(passed, on: "2027-10-01").isEmpty)
    }

    @Test("Reminders: after a failed outcome, the resit's outcome is overdue 14 days after its expected day")
    func resitOutcomeOverdue() {
        var failed = autumnEnrolled
        failed.qualifications = [F.npq(started: "2025-11-17", outcome: .failed, on: "2027-09-20")]
        let e = F.evaluate(failed, on: "2028-04-03")
        #expect(e.expectedOutcome == date("2028-03-20"))
        #expect(e.status == .enrolled)
        // The failed outcome is the outcome of the first attempt, not of the resit; nothing is recorded for the resit.
        #expect(reminder(failed, "outcome_overdue:2028-03-20", on: "2028-04-02") == nil)
        let r = reminder(failed, "outcome_overdue:2028-03-20", on: "2028-04-03")
        #expect(r?.dueOn == date("2028-04-03"))
        #expect(r.map { Set($0.recipients) } == [.senco, .head])
        // The first attempt's own reminder is gone: its expected outcome has moved on.
        #expect(reminder(failed, "outcome_overdue:2027-09-17", on: "2028-04-03") == nil)
        // The resit's outcome recorded: passed → qualified, no reminders; failed again → the next resit's instead.
        var resitPassed = failed
        resitPassed.qualifications.append(F.npq(started: "2025-11-17", outcome: .passed, on: "2028-03-27"))
        #expect(F.due(resitPassed, on: "2028-04-03").isEmpty)
        var resitFailed = failed
        resitFailed.qualifications.append(F.npq(started: "2025-11-17", outcome: .failed, on: "2028-03-27"))
        #expect(F.evaluate(resitFailed, on: "2028-04-03").expectedOutcome == date("2028-09-27"))
        #expect(!F.due(resitFailed, on: "2028-04-03").contains { $0.kind == .outcomeOverdue })
    }

    @Test(
        "Reminders: a failed outcome is never taken for the resit's outcome — overdue 14 days after the expected day",
        arguments: [
            ("2027-03-16", "2027-09-17"),  // before the attempt's window: the scheduled outcome stands
            ("2027-03-17", "2027-09-17"),  // exactly one resit cycle before the scheduled outcome
            ("2027-06-01", "2027-12-01"),  // early failure: the resit's outcome 6 months on
            ("2027-09-17", "2028-03-17"),  // failed on the expected day
            ("2027-09-20", "2028-03-20"),
        ])
    func failedOutcomeIsThePreviousAttempt(failedOn: String, expected: String) throws {
        // A = 1 Sep 2025, D = 1 Sep 2028, on cohort 2025a (scheduled outcome 17 Sep 2027).
        var spell = autumnEnrolled
        spell.qualifications = [F.npq(started: "2025-11-17", outcome: .failed, on: failedOn)]
        let dueOn = date(expected).adding(days: 14)
        #expect(F.evaluate(spell, on: dueOn.description).expectedOutcome == date(expected))
        let key = "outcome_overdue:\(expected)"
        #expect(reminder(spell, key, on: dueOn.adding(days: -1).description) == nil)
        let r = try #require(reminder(spell, key, on: dueOn.description))
        #expect(r.dueOn == dueOn)
        #expect(F.due(spell, on: dueOn.description).filter { $0.kind == .outcomeOverdue }.map(\.key) == [key])
    }

    @Test("Reminders: on the last day as SENCO after D the person is still SENCO — a breach, with its notice")
    func lastDayAfterDeadline() {
        // A = 1 September 2024, D = 1 September 2027; the last day as SENCO is D + 1.
        let spell = F.spell("2024-09-01", ended: "2027-09-02")
        let e = F.evaluate(spell, on: "2027-09-02")
        #expect(e.status == .breach)
        // Not yet ended: ended_in_breach marks a spell once the person has stopped being SENCO.
        #expect(!e.flags.contains(.endedInBreach))
        #expect(F.due(spell, on: "2027-09-02").map(\.kind) == [.breach])
        #expect(F.nextCheck(spell, on: "2027-09-02") == date("2027-09-03"))
        let left = F.evaluate(spell, on: "2027-09-03")
        #expect(left.status == .leftAfterDeadline)
        #expect(left.flags.contains(.endedInBreach))
        #expect(F.due(spell, on: "2027-09-03").isEmpty)
    }

    @Test(
        "Reminders: none once qualified, left, exempt or out of scope",
        arguments: [
            (
                F.spell(
                    "2025-09-01", qualifications: [F.npq(started: "2025-11-17", outcome: .passed, on: "2027-09-17")],
                    enrolment: F.enrolment("2025a")), SENCOStatus.qualified
            ),
            (F.spell("2025-05-01", ended: "2025-10-31"), .leftBeforeDeadline),
            (F.spell("2025-05-01", ended: "2028-05-10"), .leftAfterDeadline),
            (F.spell("2025-05-01", prior: [("2023-04-01", "2025-04-30")]), .exemptPriorService),
            (F.spell("2025-05-01", school: .special), .outOfScopeSchoolType),
            (F.spell("2009-09-01"), .legacyPre2009),
        ])
    func noneOnceInactive(spell: SENCOSpell, status: SENCOStatus) {
        for day in ["2028-05-11", "2028-06-01"] {
            #expect(F.evaluate(spell, on: day).status == status)
            #expect(F.due(spell, on: day).isEmpty)
            #expect(F.nextCheck(spell, on: day) == nil)
        }
    }

    @Test(
        "Reminders: escalations (appointment, last safe cohort closed, no feasible cohort, breach) are not routine",
        arguments:
            SENCOReminderKind.allCases)
    func routineKinds(kind: SENCOReminderKind) {
        let escalations: [SENCOReminderKind] = [
            .appointmentRecorded, .lastSafeCohortClosed, .noFeasibleCohort, .breach,
        ]
        #expect(kind.isRoutine == !escalations.contains(kind))
    }
}

@Suite("Reminders: what to send — once each, one routine reminder a week, older steps passed over")
struct SENCORemindersSelectTests {
    static func r(_ kind: SENCOReminderKind, _ key: String, _ day: String, cohort: String? = nil) -> SENCOReminder {
        SENCOReminder(kind: kind, key: key, dueOn: date(day), recipients: [.head], cohort: cohort)
    }

    static let countdown12 = r(.deadlineCountdown, "deadline_countdown:12m", "2027-09-01")
    static let countdown6 = r(.deadlineCountdown, "deadline_countdown:6m", "2028-03-01")
    static let overdue = r(.outcomeOverdue, "outcome_overdue:2028-02-14", "2028-02-28")
    static let lastSafe = r(.lastSafeCohortClosed, "last_safe_cohort_closed:2026b", "2026-10-10", cohort: "2026b")
    static let breach = r(.breach, "breach", "2028-09-02")

    static func select(
        _ due: [SENCOReminder], sent: Set<String> = [], lastRoutineOn: String? = nil, on today: String
    )
        -> (send: [String], passOver: [String])
    {
        let result = SENCOReminders.select(
            due, sent: sent, lastRoutineOn: lastRoutineOn.map(date), parameters: F.parameters, on: date(today))
        return (result.send.map(\.key), result.passOver.map(\.key))
    }

    @Test("Reminders: at most one routine reminder per 7 days; escalations are exempt")
    func weeklyLimit() {
        let due = [Self.countdown6, Self.overdue, Self.lastSafe]
        // Nothing sent before: both escalation and one routine reminder go; the other routine one waits.
        let first = Self.select(due, on: "2028-03-01")
        #expect(first.send.contains(Self.lastSafe.key))
        #expect(first.send.filter { $0 != Self.lastSafe.key }.count == 1)
        #expect(first.passOver.isEmpty)
        // A routine reminder 6 days ago: only the escalation goes.
        let sixDays = Self.select(due, lastRoutineOn: "2028-02-24", on: "2028-03-01")
        #expect(sixDays.send == [Self.lastSafe.key])
        #expect(sixDays.passOver.isEmpty)
        // 7 days ago: one routine reminder goes again.
        let sevenDays = Self.select(due, lastRoutineOn: "2028-02-23", on: "2028-03-01")
        #expect(sevenDays.send.count == 2)
        #expect(sevenDays.send.contains(Self.lastSafe.key))
        // The one held back goes a week after the first, not before.
        let sentFirst = Set(first.send)
        let waiting = due.filter { !sentFirst.contains($0.key) }.map(\.key)
        #expect(waiting.count == 1)
        #expect(Self.select(due, sent: sentFirst, lastRoutineOn: "2028-03-01", on: "2028-03-07").send.isEmpty)
        #expect(Self.select(due, sent: sentFirst, lastRoutineOn: "2028-03-01", on: "2028-03-08").send == waiting)
    }

    @Test("Reminders: a breach notice goes even the day after a routine reminder")
    func breachNotHeldBack() {
        let chosen = Self.select([Self.breach, Self.countdown6], lastRoutineOn: "2028-09-01", on: "2028-09-02")
        #expect(chosen.send == ["breach"])
    }

    @Test("Reminders: older steps of a series are passed over when a later one is due")
    func olderStepsPassedOver() {
        let countdown = Self.select([Self.countdown12, Self.countdown6], on: "2028-03-01")
        #expect(countdown.send == [Self.countdown6.key])
        #expect(countdown.passOver == [Self.countdown12.key])
        // Also when the weekly limit holds the later one back.
        let held = Self.select([Self.countdown12, Self.countdown6], lastRoutineOn: "2028-02-28", on: "2028-03-01")
        #expect(held.send.isEmpty)
        #expect(held.passOver == [Self.countdown12.key])
        // The closing countdown of one cohort is a series; another cohort's is another series.
        let closing = [
            Self.r(.registrationClosing, "registration_closing:2026b:42d", "2026-08-28", cohort: "2026b"),
            Self.r(.registrationClosing, "registration_closing:2026b:14d", "2026-09-25", cohort: "2026b"),
            Self.r(.registrationClosing, "registration_closing:2027a:42d", "2026-09-25", cohort: "2027a"),
        ]
        let chosen = Self.select(closing, on: "2026-09-25")
        #expect(chosen.passOver == ["registration_closing:2026b:42d"])
        #expect(chosen.send.count == 1)
        // NASENCO reminders too.
        let nasenco = [
            Self.r(.nasencoCompletion, "nasenco_completion:2027-03-01", "2027-03-01"),
            Self.r(.nasencoCompletion, "nasenco_completion:2027-06-01", "2027-06-01"),
        ]
        #expect(
            Self.select(nasenco, on: "2027-06-01") == (
                ["nasenco_completion:2027-06-01"], ["nasenco_completion:2027-03-01"]
            ))
    }

    @Test("Reminders: a reminder already sent or passed over is never sent again")
    func sentOnce() {
        let due = [Self.countdown12, Self.countdown6, Self.breach]
        let sent: Set<String> = ["deadline_countdown:6m", "deadline_countdown:12m", "breach"]
        let chosen = Self.select(due, sent: sent, on: "2028-09-03")
        #expect(chosen.send.isEmpty)
        #expect(chosen.passOver.isEmpty)
    }
}

@Suite("Reminders: when to look again, and a whole spell swept day by day")
struct SENCORemindersScheduleTests {
    @Test(
        "Reminders: nextCheck returns the next day something is due or may change",
        arguments: [
            ("2025-05-01", "2025-06-02"),  // registration opens (and its reminder)
            ("2025-06-02", "2025-08-29"),  // closing − 6 weeks
            ("2025-09-26", "2025-10-07"),  // closing − 3 days
            ("2025-10-07", "2025-10-11"),  // the last safe cohort has closed
            ("2025-10-11", "2026-06-23"),  // the next cohort's registration opens
            ("2027-10-09", "2027-11-01"),  // D − 6 months
            ("2028-04-02", "2028-04-24"),  // D − 1 week
            ("2028-04-24", "2028-05-02"),  // D + 1: breach
        ])
    func nextCheck(day: String, next: String) {
        #expect(F.nextCheck(spring, on: day) == date(next))
    }

    @Test("Reminders: nextCheck of an enrolled spell: outcome overdue, then the countdown")
    func nextCheckEnrolled() {
        #expect(F.nextCheck(autumnEnrolled, on: "2027-09-01") == date("2027-10-01"))
        #expect(F.nextCheck(autumnEnrolled, on: "2027-10-09") == date("2028-03-01"))
    }

    /// Sweeps `spell` from its appointment to `end`, on every day or only on the days nextCheck names, sending what
    /// select says; returns what was sent, on which day.
    static func sweep(_ spell: SENCOSpell, to end: String, daily: Bool) -> [(CalendarDate, String)] {
        var sent: Set<String> = []
        var lastRoutine: CalendarDate?
        var log: [(CalendarDate, String)] = []
        var today: CalendarDate? = spell.appointmentDay
        while let day = today, day <= date(end) {
            let e = SENCODeadline.evaluate(spell, cohorts: F.novemberCohorts, parameters: F.parameters, on: day)
            let due = SENCOReminders.due(
                spell, evaluation: e, cohorts: F.novemberCohorts, parameters: F.parameters, on: day)
            let (send, passOver) = SENCOReminders.select(
                due, sent: sent, lastRoutineOn: lastRoutine, parameters: F.parameters, on: day)
            for r in send {
                #expect(!sent.contains(r.key), "\(r.key) sent twice")
                sent.insert(r.key)
                log.append((day, r.key))
                if r.kind.isRoutine { lastRoutine = day }
            }
            sent.formUnion(passOver.map(\.key))
            today =
                daily
                ? day.adding(days: 1)
                : SENCOReminders.nextCheck(
                    spell, evaluation: e, cohorts: F.novemberCohorts, parameters: F.parameters, on: day)
        }
        return log
    }

    static func describe(_ log: [(CalendarDate, String)]) -> [String] { log.map { "\($0.0) \($0.1)" } }

    @Test("Reminders: a not-enrolled spell swept every day — each reminder once, on its day")
    func springSweep() {
        #expect(
            Self.describe(Self.sweep(spring, to: "2028-06-30", daily: true)) == [
                "2025-06-02 registration_opened:2025a",
                "2025-08-29 registration_closing:2025a:42d",
                "2025-09-26 registration_closing:2025a:14d",
                "2025-10-07 registration_closing:2025a:3d",
                "2025-10-11 last_safe_cohort_closed:2025a",
                "2025-10-11 no_feasible_cohort",
                "2027-05-01 deadline_countdown:12m",
                "2027-11-01 deadline_countdown:6m",
                "2028-02-01 deadline_countdown:3m",
                "2028-04-01 deadline_countdown:1m",
                "2028-04-24 deadline_countdown:7d",
                "2028-05-02 breach",
            ])
    }

    @Test("Reminders: an enrolled spell swept every day — outcome overdue and the countdown")
    func enrolledSweep() {
        #expect(
            Self.describe(Self.sweep(autumnEnrolled, to: "2028-10-31", daily: true)) == [
                "2027-09-01 deadline_countdown:12m",
                "2027-10-01 outcome_overdue:2027-09-17",
                "2028-03-01 deadline_countdown:6m",
                "2028-06-01 deadline_countdown:3m",
                "2028-08-01 deadline_countdown:1m",
                "2028-08-25 deadline_countdown:7d",
                "2028-09-02 breach",
            ])
    }

    @Test("Reminders: a NASENCO-reliant spell swept every day — NASENCO reminders until it lapses, then the rest")
    func nasencoSweep() {
        #expect(
            Self.describe(Self.sweep(nasencoReliant, to: "2028-02-29", daily: true)) == [
                "2025-10-11 no_feasible_cohort",
                "2027-01-06 deadline_countdown:12m",
                "2027-03-01 nasenco_completion:2027-03-01",
                "2027-06-01 nasenco_completion:2027-06-01",
                "2027-07-06 deadline_countdown:6m",
                "2027-08-01 nasenco_completion:2027-08-01",
                "2027-10-06 deadline_countdown:3m",
                "2027-12-06 deadline_countdown:1m",
                "2027-12-30 deadline_countdown:7d",
                "2028-01-07 breach",
            ])
    }

    @Test(
        "Reminders: looking only on the days nextCheck names sends the same reminders on the same days",
        arguments: [spring, autumnEnrolled, nasencoReliant, F.spell("2024-02-29"), F.spell("2025-09-01")])
    func nextCheckMissesNothing(spell: SENCOSpell) {
        let daily = Self.describe(Self.sweep(spell, to: "2029-12-31", daily: true))
        let scheduled = Self.describe(Self.sweep(spell, to: "2029-12-31", daily: false))
        #expect(!daily.isEmpty)
        #expect(scheduled == daily)
    }

    @Test("Reminders: between nextCheck's days neither the status nor the reminders due change")
    func nothingChangesBetweenChecks() {
        var daysBetween = 0
        for spell in [spring, autumnEnrolled, nasencoReliant, F.spell("2025-09-01", ended: "2027-03-31")] {
            var day = spell.appointmentDay
            while let next = F.nextCheck(spell, on: day.description), next <= date("2029-12-31") {
                let status = F.evaluate(spell, on: day.description).status
                let keys = Set(F.due(spell, on: day.description).map(\.key))
                var between = day.adding(days: 1)
                while between < next {
                    #expect(F.evaluate(spell, on: between.description).status == status, "\(between)")
                    #expect(Set(F.due(spell, on: between.description).map(\.key)) == keys, "\(between)")
                    between = between.adding(days: 1)
                    daysBetween += 1
                }
                day = next
            }
        }
        #expect(daysBetween > 2_000)
    }
}
