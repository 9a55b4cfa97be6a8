import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// `npq-senco` over the real broker, with the clock moved forward by the test. One test at a time: every instance
/// consumes from the same queue.
@Suite("SENCO service", .serialized, .timeLimit(.minutes(3)))
struct SENCOServiceTests {
    static func appointment(_ urn: String, trn: String, on day: String) -> SENCOAppointmentRecord {
        SENCOAppointmentRecord(
            schoolURN: urn, schoolType: .mainstream,
            person: SENCOPerson(name: "Sam Taylor", trn: trn, email: "sam.taylor@example.sch.uk"), appointedOn: day)
    }

    static func reminders(_ harness: ServiceHarness, _ spell: UUID) async -> [SENCOReminderDue] {
        await harness.events(SENCOReminderDue.self).filter { $0.spellID == spell }
    }

    @Test("Appointment, application accepted and scheduled, countdown and overdue reminders once, passed → qualified")
    func enrolledSpellQualifies() async throws {
        try await SENCOHarness.with(now: RFC3339.parse("2025-09-15T09:00:00+01:00")!) { harness in
            let tracked = try await harness.client.ask(
                Self.appointment("100001", trn: "7654321", on: "2025-09-01"), expecting: SENCODeadlineTracked.self)
            let spell = tracked.spell
            #expect(spell.status == .notEnrolled)
            #expect(spell.deadline == CalendarDate("2028-09-01"))
            #expect(spell.recommendedCohort == "2025a")
            #expect(spell.lastSafeCohort == "2026a")  // starts March 2026: outcome January 2028, + 6 months ≤ D
            #expect(spell.history.map(\.to) == [.notEnrolled])
            #expect(
                await eventually { await Self.reminders(harness, spell.spellID).map(\.kind) == [.appointmentRecorded] })

            let application = UUID()
            try await harness.publish(
                ApplicationSubmitted(
                    applicationID: application, course: "npq-senco", leadProvider: "teach-first", cohort: "2025a",
                    applicant: .init(fullName: "Sam Taylor", email: "sam.taylor@example.sch.uk", trn: "7654321"),
                    schoolURN: "100001", sencoInRole: "yes", sencoStartDate: "2025-09", submittedAt: harness.clock.now))
            try await harness.publish(
                ApplicationAccepted(
                    applicationID: application, course: "npq-senco", leadProvider: "teach-first", cohort: "2025a",
                    fundedPlace: true, trn: "7654321", acceptedAt: harness.clock.now))
            #expect(
                await eventually {
                    await harness.events(SENCOStatusChanged.self).contains {
                        $0.spellID == spell.spellID && $0.change.to == .enrolled
                    }
                })
            try await harness.publish(
                ParticipantScheduled(
                    applicationID: application, cohort: "2025a", course: "npq-senco", courseGroup: .leadership,
                    leadProvider: "teach-first", schedule: "npq-leadership-autumn", scheduleDefaulted: true,
                    milestones: [Milestone(.started, CalendarDate("2025-11-17")!)],
                    startDate: CalendarDate("2025-11-17")!,
                    expectedOutcomeDate: CalendarDate("2027-09-17")!, scheduledAt: harness.clock.now))

            // D − 12 months: the countdown, once, also across a restart.
            try await harness.move(to: "2027-08-31")
            #expect(await Self.reminders(harness, spell.spellID).count == 1)
            try await harness.move(to: "2027-09-01")
            #expect(
                await eventually {
                    await Self.reminders(harness, spell.spellID).map(\.kind) == [
                        .appointmentRecorded, .deadlineCountdown,
                    ]
                })
            let countdown = try #require(await Self.reminders(harness, spell.spellID).last)
            #expect(countdown.dueOn == CalendarDate("2027-09-01"))
            #expect(countdown.recipients == [.head, .senco])
            #expect(countdown.facts.expectedOutcome == CalendarDate("2027-09-17"))
            try await harness.restart()
            try await harness.move(to: "2027-09-02")
            #expect(await Self.reminders(harness, spell.spellID).count == 2)

            // Expected outcome + 2 weeks with no outcome: record the outcome.
            try await harness.move(to: "2027-10-01")
            #expect(await eventually { await Self.reminders(harness, spell.spellID).last?.kind == .outcomeOverdue })

            // A passed outcome: qualified, and the countdown stops.
            try await harness.move(to: "2027-10-05")
            try await harness.publish(
                ParticipantOutcomeRecorded(
                    applicationID: application, course: "npq-senco", leadProvider: "teach-first", outcome: "passed",
                    completedOn: CalendarDate("2027-10-05")!, trn: "7654321", recordedAt: harness.clock.now))
            #expect(
                await eventually {
                    await harness.events(SENCOStatusChanged.self).contains {
                        $0.spellID == spell.spellID && $0.change.to == .qualified
                    }
                })
            let before = await Self.reminders(harness, spell.spellID).count
            try await harness.move(to: "2028-03-01")
            try await harness.move(to: "2028-09-02")
            #expect(await Self.reminders(harness, spell.spellID).count == before)

            let status = try await harness.client.ask(
                SENCOStatusGet(schoolURN: "100001"), expecting: SENCOStatusResult.self)
            #expect(status.spells.first?.status == .qualified)
            #expect(status.spells.first?.history.map(\.to) == [.notEnrolled, .enrolled, .qualified])
            let cli = try await ExecutableRun(
                "npq", ["senco", "status", "--school", "100001"],
                environment: ["NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL")])
            #expect(cli.status == 0, "\(cli.error)")
            #expect(cli.output.hasPrefix("Sam Taylor — SENCO at 100001 since 2025-09-01"))
            #expect(cli.output.contains("status              qualified: Qualified on 2027-10-05"))
            #expect(
                cli.output.contains("history             2025-09-15 — → not_enrolled (npq.senco.appointment.record.v1)")
            )
            #expect(
                await Self.reminders(harness, spell.spellID).map(\.kind) == [
                    .appointmentRecorded, .deadlineCountdown, .outcomeOverdue,
                ])
        }
    }

    @Test("Without enrolment: at risk when no feasible cohort remains, breach the day after D, escalated once")
    func unenrolledSpellBreaches() async throws {
        try await SENCOHarness.with(now: RFC3339.parse("2025-09-15T09:00:00+01:00")!) { harness in
            let tracked = try await harness.client.ask(
                Self.appointment("100002", trn: "1112223", on: "2025-09-01"), expecting: SENCODeadlineTracked.self)
            let spellID = tracked.spell.spellID
            func statuses() async -> [SENCOStatus] {
                await harness.events(SENCOStatusChanged.self).filter { $0.spellID == spellID }.map(\.change.to)
            }
            // 2026a (registration 5 January – 20 February 2026, outcome January 2028) is the last feasible cohort.
            try await harness.move(to: "2026-02-20")
            #expect(await statuses() == [.notEnrolled])
            try await harness.move(to: "2026-02-21")
            #expect(await eventually { await statuses() == [.notEnrolled, .atRisk] })

            try await harness.move(to: "2028-09-01")
            #expect(await statuses() == [.notEnrolled, .atRisk])
            #expect(await !Self.reminders(harness, spellID).contains { $0.kind == .breach })
            try await harness.move(to: "2028-09-02")
            #expect(await eventually { await statuses() == [.notEnrolled, .atRisk, .breach] })
            #expect(await eventually { await Self.reminders(harness, spellID).contains { $0.kind == .breach } })
            try await harness.move(to: "2028-09-20")
            let breaches = await Self.reminders(harness, spellID).filter { $0.kind == .breach }
            #expect(breaches.count == 1)
            #expect(breaches.first?.recipients == [.head, .chair, .sendGovernor])
            #expect(breaches.first?.dueOn == CalendarDate("2028-09-02"))

            let overview = try await harness.client.ask(SENCOOverview(), expecting: SENCOOverviewResult.self)
            #expect(overview.inBreach.map(\.spellID).contains(spellID))
            // Every reminder went out once.
            let ids = await Self.reminders(harness, spellID).map(\.reminderID)
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test("Prior service counts only relevant schools; ending an earlier spell re-evaluates the later one")
    func priorServiceAcrossSchools() async throws {
        try await SENCOHarness.with(now: RFC3339.parse("2025-09-15T09:00:00+01:00")!) { harness in
            // Two years as SENCO at a special school: not relevant service, so the mainstream spell is in scope.
            var special = Self.appointment("100010", trn: "5550001", on: "2021-09-01")
            special.schoolType = .special
            _ = try await harness.client.ask(special, expecting: SENCODeadlineTracked.self)
            try await harness.client.send(
                SENCOAppointmentEnd(
                    person: SENCOPersonReference(schoolURN: "100010", trn: "5550001"),
                    endedOn: CalendarDate("2023-08-31")!))
            let mainstream = try await harness.client.ask(
                Self.appointment("100011", trn: "5550001", on: "2025-09-01"), expecting: SENCODeadlineTracked.self)
            #expect(mainstream.spell.status == .notEnrolled)
            #expect(mainstream.spell.deadline == CalendarDate("2028-09-01"))

            // Recorded after the new school's spell: 20 months at another mainstream school exempts it.
            _ = try await harness.client.ask(
                Self.appointment("100012", trn: "5550001", on: "2023-09-01"), expecting: SENCODeadlineTracked.self)
            try await harness.client.send(
                SENCOAppointmentEnd(
                    person: SENCOPersonReference(schoolURN: "100012", trn: "5550001"),
                    endedOn: CalendarDate("2025-04-30")!))
            #expect(
                await eventually {
                    await harness.events(SENCOStatusChanged.self).contains {
                        $0.spellID == mainstream.spell.spellID && $0.change.to == .exemptPriorService
                    }
                })
        }
    }

    @Test("Correcting an appointment updates the spell instead of adding a second one")
    func correctionUpdatesSpell() async throws {
        try await SENCOHarness.with(now: RFC3339.parse("2025-09-15T09:00:00+01:00")!) { harness in
            var record = Self.appointment("100020", trn: "5550002", on: "2025-09")
            let first = try await harness.client.ask(record, expecting: SENCODeadlineTracked.self)
            #expect(first.spell.datePrecision == .month)
            record.appointedOn = "2025-09-08"
            let corrected = try await harness.client.ask(record, expecting: SENCODeadlineTracked.self)
            #expect(corrected.spell.spellID == first.spell.spellID)
            #expect(corrected.spell.appointedOn == CalendarDate("2025-09-08"))
            #expect(corrected.spell.deadline == CalendarDate("2028-09-08"))
            let status = try await harness.client.ask(
                SENCOStatusGet(schoolURN: "100020"), expecting: SENCOStatusResult.self)
            #expect(status.spells.count == 1)
        }
    }

    @Test("Bad input is refused with the field and rule")
    func badInputRefused() async throws {
        try await SENCOHarness.with(now: RFC3339.parse("2025-09-15T09:00:00+01:00")!) { harness in
            var bad = Self.appointment("100003", trn: "1231231", on: "2025-02-30")
            let dateError = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(bad, expecting: SENCODeadlineTracked.self)
            }
            #expect(dateError?.rejection.fieldErrors.map(\.field) == ["appointedOn"])
            bad = Self.appointment("100003", trn: "1231231", on: "2025-09-01")
            bad.priorService = [SENCOServicePeriod(from: CalendarDate("2025-01-01")!, to: CalendarDate("2025-10-01")!)]
            let priorError = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(bad, expecting: SENCODeadlineTracked.self)
            }
            #expect(priorError?.rejection.fieldErrors.map(\.rule) == ["before_appointment"])
            let endError = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(
                    SENCOAppointmentEnd(
                        person: SENCOPersonReference(schoolURN: "100003", trn: "9999999"),
                        endedOn: CalendarDate("2026-01-01")!), expecting: SENCODeadlineTracked.self)
            }
            #expect(endError?.rejection.fieldErrors.map(\.rule) == ["known_spell"])
            let farAhead = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(
                    Self.appointment("100003", trn: "1231231", on: "2052-09-01"), expecting: SENCODeadlineTracked.self)
            }
            #expect(farAhead?.rejection.fieldErrors.map(\.rule) == ["not_too_far_ahead"])
            var future = Self.appointment("100003", trn: "1231231", on: "2025-09-01")
            future.qualifications = [
                SENCOQualification(
                    award: "nasenco", startedOn: CalendarDate("2024-01-08")!, completedOn: CalendarDate("2026-07-01")!)
            ]
            let futureError = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(future, expecting: SENCODeadlineTracked.self)
            }
            #expect(futureError?.rejection.fieldErrors.map(\.field) == ["qualifications[0].completedOn"])
            #expect(futureError?.rejection.fieldErrors.map(\.rule) == ["not_in_future"])
        }
    }
}
