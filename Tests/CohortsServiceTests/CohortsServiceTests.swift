import CohortsDomain
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// `npq-cohorts` over the real broker. One test at a time: every instance consumes from the same queue.
@Suite("Cohorts service", .serialized, .timeLimit(.minutes(3)))
struct CohortsServiceTests {
    static func accepted(
        _ course: String, on acceptedAt: String, schedule: String? = nil, id: UUID = UUID()
    ) -> ApplicationAccepted {
        ApplicationAccepted(
            applicationID: id, course: course, leadProvider: "teach-first", cohort: "2030a", schedule: schedule,
            fundedPlace: true, acceptedAt: instant(acceptedAt))
    }

    @Test("Accepted applications are scheduled with the default or named schedule, its milestones and outcome date")
    func acceptedApplicationsAreScheduled() async throws {
        try await CohortsHarness.with(now: instant("2030-09-01T09:00:00Z")) { harness in
            let autumn = Self.accepted("npq-headship", on: "2030-09-02T10:00:00+01:00")
            let spring = Self.accepted("npq-headship", on: "2031-01-10T10:00:00Z")
            let named = Self.accepted(
                "npq-leading-literacy", on: "2031-01-10T10:00:00Z", schedule: "npq-specialist-autumn")
            let ehco = Self.accepted("npq-early-headship-coaching-offer", on: "2030-12-24T10:00:00Z")
            for event in [autumn, spring, named, ehco] { try await harness.publish(event) }

            let scheduled = try #require(
                await eventually { await harness.events(ParticipantScheduled.self).count >= 4 }
                    ? await harness.events(
                        ParticipantScheduled.self) : nil)
            let byID = Dictionary(uniqueKeysWithValues: scheduled.map { ($0.applicationID, $0) })
            let first = try #require(byID[autumn.applicationID])
            #expect(first.schedule == "npq-leadership-autumn")
            #expect(first.scheduleDefaulted)
            #expect(first.courseGroup == .leadership)
            #expect(
                first.milestones == [
                    Milestone(.started, date("2030-11-18")), Milestone(.retained1, date("2031-05-19")),
                    Milestone(.retained2, date("2032-01-24")), Milestone(.completed, date("2032-07-26")),
                ])
            #expect(first.startDate == date("2030-11-18"))
            #expect(first.expectedOutcomeDate == date("2032-09-18"))
            #expect(byID[spring.applicationID]?.schedule == "npq-leadership-spring")
            #expect(byID[spring.applicationID]?.expectedOutcomeDate == date("2032-12-24"))
            #expect(byID[named.applicationID]?.schedule == "npq-specialist-autumn")
            #expect(byID[named.applicationID]?.scheduleDefaulted == false)
            #expect(byID[named.applicationID]?.expectedOutcomeDate == date("2032-02-18"))
            #expect(byID[ehco.applicationID]?.schedule == "npq-ehco-december")
            #expect(byID[ehco.applicationID]?.expectedOutcomeDate == nil)

            // Two headship acceptances reach teach-first's target of 2: reported once.
            let third = Self.accepted("npq-headship", on: "2030-09-03T10:00:00Z")
            try await harness.publish(third)
            #expect(await eventually { await harness.events(ParticipantScheduled.self).count == 5 })
            let reached = await harness.events(CohortOfferingTargetReached.self)
            #expect(reached.count == 1)
            #expect(reached.first?.course == "npq-headship")
            #expect(reached.first?.recruitmentTarget == 2)
            #expect(reached.first?.acceptedApplications == 2)
            #expect(reached.first?.applicationID == spring.applicationID)
        }
    }

    @Test("A wrongly named schedule is refused with its reason; nothing is scheduled or counted")
    func wrongScheduleRefused() async throws {
        try await CohortsHarness.with(now: instant("2030-09-01T09:00:00Z")) { harness in
            let otherGroup = Self.accepted(
                "npq-leading-literacy", on: "2030-09-02T10:00:00Z", schedule: "npq-leadership-autumn")
            let unknown = Self.accepted(
                "npq-leading-literacy", on: "2030-09-02T10:00:00Z", schedule: "npq-specialist-spring")
            try await harness.publish(otherGroup, messageID: "11111111-1111-4111-8111-111111111111")
            try await harness.publish(unknown, messageID: "22222222-2222-4222-8222-222222222222")
            #expect(
                await eventually {
                    await harness.events(MessageRejected.self).filter { $0.service == "cohorts" }.count >= 2
                })
            let rejections = Dictionary(
                uniqueKeysWithValues: await harness.events(MessageRejected.self).filter { $0.service == "cohorts" }.map
                {
                    ($0.originalMessageID ?? "", $0)
                })
            let wrongGroup = try #require(rejections["11111111-1111-4111-8111-111111111111"])
            #expect(wrongGroup.reason == .ruleViolation)
            #expect(wrongGroup.fieldErrors.map(\.rule) == ["schedule_for_course_group"])
            #expect(wrongGroup.detail.contains("npq-leadership-autumn is for leadership courses"))
            let missing = try #require(rejections["22222222-2222-4222-8222-222222222222"])
            #expect(missing.fieldErrors.map(\.rule) == ["schedule_in_cohort"])
            #expect(missing.detail.contains("its specialist schedules are: npq-specialist-autumn"))
            #expect(await harness.events(ParticipantScheduled.self).isEmpty)
            // The refused acceptances were not counted: the cohort's funding mode may still change.
            try await harness.client.send(
                CohortDefine(
                    cohort: "2030a", fundingMode: .full, registrationOpens: date("2030-05-01"),
                    registrationCloses: date("2030-10-31"), startDate: date("2030-11-18")))
            #expect(
                await eventually {
                    await harness.events(CohortDefined.self).contains { $0.cohort.fundingMode == .full }
                })
        }
    }

    @Test("Redelivered and republished acceptances schedule once")
    func acceptancesScheduleOnce() async throws {
        try await CohortsHarness.with(now: instant("2030-09-01T09:00:00Z")) { harness in
            let event = Self.accepted("npq-headship", on: "2030-09-02T10:00:00Z")
            let messageID = Envelope.newMessageID()
            try await harness.publish(event, messageID: messageID)
            try await harness.publish(event, messageID: messageID)
            try await harness.publish(event)  // the same acceptance under a new message id
            let marker = Self.accepted("npq-leading-literacy", on: "2030-09-02T10:00:00Z")
            try await harness.publish(marker)
            #expect(
                await eventually {
                    await harness.events(ParticipantScheduled.self).contains {
                        $0.applicationID == marker.applicationID
                    }
                })
            #expect(
                await harness.events(ParticipantScheduled.self).filter { $0.applicationID == event.applicationID }.count
                    == 1)

            // Accepted again onto another schedule (after a deferral, say): rescheduled, once.
            var moved = event
            moved.schedule = "npq-leadership-spring"
            try await harness.publish(moved)
            #expect(
                await eventually {
                    await harness.events(ParticipantScheduled.self).filter { $0.applicationID == event.applicationID }
                        .map(\.schedule) == ["npq-leadership-autumn", "npq-leadership-spring"]
                })
        }
    }

    @Test("Registration windows open and close exactly once, across restarts of the service")
    func windowsOnceAcrossRestarts() async throws {
        try await CohortsHarness.with(now: instant("2030-04-30T22:00:00Z")) { harness in  // 23:00 on 30 April in London
            func count<M: MessageContract>(_ type: M.Type) async -> Int { await harness.events(type).count }
            try await harness.waitForSweeps()
            #expect(await count(CohortRegistrationOpened.self) == 0)

            harness.clock.set(instant("2030-04-30T23:00:00Z"))  // midnight, 1 May, in London
            #expect(await eventually { await count(CohortRegistrationOpened.self) == 1 })
            let opened = try #require(await harness.events(CohortRegistrationOpened.self).first)
            #expect(opened.cohort.cohort == "2030a")
            #expect(
                Set(opened.offerings.map(\.course)) == [
                    "npq-headship", "npq-leading-literacy", "npq-early-headship-coaching-offer",
                ])

            try await harness.restart()
            try await harness.waitForSweeps()
            #expect(await count(CohortRegistrationOpened.self) == 1)
            #expect(await count(CohortRegistrationClosed.self) == 0)

            harness.clock.set(instant("2030-10-31T23:59:00Z"))  // still 31 October in London (GMT)
            try await harness.waitForSweeps()
            #expect(await count(CohortRegistrationClosed.self) == 0)
            harness.clock.set(instant("2030-11-01T00:00:00Z"))
            #expect(await eventually { await count(CohortRegistrationClosed.self) == 1 })

            try await harness.restart()
            try await harness.waitForSweeps()
            #expect(await count(CohortRegistrationOpened.self) == 1)
            #expect(await count(CohortRegistrationClosed.self) == 1)
        }
    }

    @Test("Commands are checked by the cohort rules: each refusal names the field and rule")
    func commandsChecked() async throws {
        try await CohortsHarness.with(now: instant("2030-09-01T09:00:00Z")) { harness in
            try await harness.publish(Self.accepted("npq-headship", on: "2030-09-02T10:00:00Z"))
            #expect(await eventually { await harness.events(ParticipantScheduled.self).count == 1 })

            let lockedID = try await harness.client.send(
                CohortDefine(
                    cohort: "2030a", fundingMode: .full, registrationOpens: date("2030-05-01"),
                    registrationCloses: date("2030-10-31"), startDate: date("2030-11-18")))
            let yearID = try await harness.client.send(
                CohortDefine(
                    cohort: "2031a", fundingMode: .capped, registrationOpens: date("2031-05-01"),
                    registrationCloses: date("2032-01-31"), startDate: date("2031-11-17")))
            let scheduleID = try await harness.client.send(
                ScheduleDefine(
                    cohort: "2029a", schedule: "npq-leadership-autumn", courseGroup: .leadership,
                    milestones: [Milestone(.started, date("2029-11-19"))]))
            let offeringID = try await harness.client.send(
                CohortOfferingSet(cohort: "2030a", course: "npq-additional-support-offer", leadProvider: "teach-first"))
            #expect(
                await eventually {
                    await harness.events(MessageRejected.self).filter { $0.service == "cohorts" }.count >= 4
                })
            let rejections = Dictionary(
                uniqueKeysWithValues: await harness.events(MessageRejected.self).filter { $0.service == "cohorts" }.map
                {
                    ($0.originalMessageID ?? "", $0)
                })
            #expect(rejections[lockedID]?.fieldErrors.map(\.field) == ["fundingMode"])
            #expect(rejections[lockedID]?.fieldErrors.map(\.rule) == ["funding_mode_locked"])
            #expect(rejections[yearID]?.fieldErrors.map(\.rule) == ["window_in_start_year"])
            #expect(rejections[scheduleID]?.fieldErrors.map(\.rule) == ["known_cohort"])
            #expect(rejections[offeringID]?.fieldErrors.map(\.rule) == ["course_offerable"])

            // Valid commands take effect and are reported.
            try await harness.client.send(
                CohortDefine(
                    cohort: "2031a", fundingMode: .capped, registrationOpens: date("2031-05-01"),
                    registrationCloses: date("2031-10-31"), startDate: date("2031-11-17")))
            try await harness.client.send(
                CohortOfferingSet(
                    cohort: "2030a", course: "npq-headship", leadProvider: "teach-first", recruitmentTarget: 50))
            #expect(
                await eventually { await harness.events(CohortDefined.self).contains { $0.cohort.cohort == "2031a" } })
            #expect(
                await eventually {
                    await harness.events(CohortOfferingUpdated.self).contains {
                        $0.offering.recruitmentTarget == 50 && $0.offering.acceptedApplications == 1
                    }
                })
            let defined = await harness.events(CohortDefined.self).first { $0.cohort.cohort == "2031a" }
            #expect(defined?.definedBy == "guest")
        }
    }

    @Test("A newcomer reads which cohort is open from `npq cohort list`")
    func cliCohortList() async throws {
        try await CohortsHarness.with(now: instant("2030-06-01T09:00:00Z")) { harness in
            let url = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            let list = try await ExecutableRun("npq", ["cohort", "list"], environment: ["NPQ_AMQP_URL": url])
            #expect(list.status == 0, "\(list.error)")
            #expect(
                list.output.hasPrefix(
                    "Open for registration on 2030-06-01: 2030 (closes 2030-10-31, starts 2030-11-18)"))
            #expect(list.output.contains("2030a   2030  capped   2030-05-01 to 2030-10-31  open"))

            let later = try await ExecutableRun(
                "npq", ["cohort", "list", "--on", "2031-01-05"], environment: ["NPQ_AMQP_URL": url])
            #expect(
                later.output.hasPrefix("No cohort is open for registration on 2031-01-05, and none is due to open."))

            let json = try await ExecutableRun(
                "npq", ["cohort", "calendar", "--json"], environment: ["NPQ_AMQP_URL": url])
            let calendar = try ContractDecoder.decode(CohortCalendarResult.self, from: Data(json.output.utf8))
            #expect(calendar.entries.count == 7)

            let badDate = try await ExecutableRun(
                "npq", ["cohort", "list", "--on", "2030-02-30"], environment: ["NPQ_AMQP_URL": url])
            #expect(badDate.status != 0)
            #expect(badDate.error.contains("'2030-02-30' is not a date of the form YYYY-MM-DD"))
        }
    }

    @Test("cohort.list and cohort.calendar answer over request/reply")
    func queries() async throws {
        try await CohortsHarness.with(now: instant("2030-06-01T09:00:00Z")) { harness in
            let open = try await harness.client.ask(CohortList(registration: .open), expecting: CohortListResult.self)
            #expect(open.on == date("2030-06-01"))
            #expect(open.cohorts.map(\.cohort.cohort) == ["2030a"])
            #expect(open.cohorts.first?.offerings.count == 3)
            #expect(open.cohorts.first?.schedules.count == 7)
            let closedLater = try await harness.client.ask(
                CohortList(registration: .open, on: date("2030-11-01")), expecting: CohortListResult.self)
            #expect(closedLater.cohorts.isEmpty)

            let calendar = try await harness.client.ask(
                CohortCalendar(courseGroup: .leadership), expecting: CohortCalendarResult.self)
            #expect(calendar.entries.map(\.schedule) == ["npq-leadership-autumn", "npq-leadership-spring"])
            #expect(calendar.entries.first?.expectedOutcomeDate == date("2032-09-18"))
            #expect(calendar.entries.first?.registrationStatus == .open)

            // A query that breaks its contract is answered with the rejection.
            let error = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(CohortList(year: 1900), expecting: CohortListResult.self)
            }
            #expect(error?.rejection.fieldErrors.map(\.field) == ["year"])
        }
    }
}

func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
