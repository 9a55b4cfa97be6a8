import AMQP
import ApplicationsService
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// `npq-applications` over the real broker, with lead providers as broker users of their own.
@Suite("Applications service", .serialized, .timeLimit(.minutes(3)))
struct ApplicationsServiceTests {
    static let july = RFC3339.parse("2026-07-01T10:00:00+01:00")!

    static func with(now: Date = july, _ body: (ServiceHarness) async throws -> Void) async throws {
        let options = ApplicationsService.Options(
            cohortsReferenceDirectory: ExecutableRun.repository.appendingPathComponent("reference/cohorts").path,
            readers: [try TestBroker.configuration().user],
            schoolsFile: ExecutableRun.repository.appendingPathComponent("reference/eligibility/schools.csv").path,
            operators: [try TestBroker.configuration().user],
            eligibilityDirectory: ExecutableRun.repository.appendingPathComponent("reference/eligibility").path)
        try await ServiceHarness.with(
            service: "applications", now: now,
            bindings: [
                (Topology.eventsExchange, "application.#"), (Topology.eventsExchange, "participant.#"),
                (Topology.eventsExchange, "interest.#"),
                (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in try ApplicationsService.configure(&app, options: options) }, body)
    }

    /// A client logged in as a lead provider's own broker user, `npq-lp-<provider>`.
    static func provider(_ provider: String) async throws -> (NPQClient, AMQPConnection) {
        let user = "npq-lp-\(provider)"
        try? await TestBroker.control("ctl", "add_user", user, "secret-\(provider)")
        try await TestBroker.control("ctl", "set_permissions", "-p", "/", user, ".*", ".*", ".*")
        var configuration = try TestBroker.configuration(name: user)
        configuration.user = user
        configuration.password = "secret-\(provider)"
        let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        return (
            NPQClient(connection: connection, source: "urn:npq:test:\(user)", appID: user, userID: user), connection
        )
    }

    static func submission(
        email: String = "alex.morgan@example.sch.uk", trn: String? = "1234567", course: String = "npq-headship",
        provider: String = "teach-first"
    ) -> ApplicationSubmit {
        ApplicationSubmit(
            applicant: Applicant(fullName: "Alex Morgan", email: email, trn: trn), course: course,
            leadProvider: provider, cohort: "2026b",
            workplace: Workplace(worksIn: .england, workSetting: .aSchool, institution: Institution(urn: "100103")))
    }

    static func assessed(_ id: UUID, funded: Bool = true) -> EligibilityAssessed {
        EligibilityAssessed(
            applicationID: id, cohort: "2026b", course: "npq-headship",
            outcome: FundingOutcome(
                status: funded ? .funded : .ineligibleEstablishmentType, funded: funded, reviewRequired: false,
                explanation: funded ? "Funded." : "Not funded; your school may pay."),
            policyVersion: "2026", assessedAt: july)
    }

    @Test("Submitted, assessed, then announced as submitted with the funding outcome")
    func submitThenAssessed() async throws {
        try await Self.with { harness in
            let received = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            #expect(received.course == "npq-headship")
            try await harness.publish(Self.assessed(received.applicationID))
            #expect(
                await eventually {
                    await harness.events(ApplicationSubmitted.self).contains {
                        $0.applicationID == received.applicationID && $0.funding?.status == .funded
                    }
                })
            let submitted = await harness.events(ApplicationSubmitted.self).first {
                $0.applicationID == received.applicationID
            }
            #expect(submitted?.schoolURN == "100103")
        }
    }

    @Test("A submission that breaks a rule is refused naming each field, and nothing is stored")
    func badSubmissions() async throws {
        try await Self.with { harness in
            var senco = Self.submission(course: "npq-senco")
            senco.sencoInRole = nil
            var historic = Self.submission()
            historic.leadProvider = "teacher-development-trust"
            var noSchool = Self.submission()
            noSchool.workplace.institution = nil
            var unknownSchool = Self.submission()
            unknownSchool.workplace.institution = Institution(urn: "999999")
            var closedSchool = Self.submission()
            closedSchool.workplace.institution = Institution(urn: "113003")
            var legacy = Self.submission(course: "npq-additional-support-offer")
            legacy.workplace.headteacherStatus = .yesInFirstFiveYears
            let cases: [(ApplicationSubmit, String, String)] = [
                (senco, "sencoInRole", "required_for_senco"),
                (historic, "leadProvider", "offers_course"),
                (noSchool, "workplace.institution.urn", "required"),
                (legacy, "course", "course_offerable"),
                (unknownSchool, "workplace.institution.urn", "known_school"),
                (closedSchool, "workplace.institution.urn", "open_school"),
            ]
            for (submission, field, rule) in cases {
                let error = await #expect(throws: QueryRejectedError.self) {
                    try await harness.client.ask(submission, expecting: ApplicationReceived.self)
                }
                #expect(
                    error?.rejection.fieldErrors.contains { $0.field == field && $0.rule == rule } == true, "\(field)")
            }
            #expect(await harness.events(ApplicationReceived.self).isEmpty)
        }
        // Outside the registration window.
        try await Self.with(now: RFC3339.parse("2026-11-22T10:00:00Z")!) { harness in
            let error = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            }
            #expect(error?.rejection.fieldErrors.map(\.rule) == ["open_for_registration"])
        }
    }

    @Test(
        "Only the named provider accepts; the same person's other pending application is rejected; a second acceptance is refused"
    )
    func acceptance() async throws {
        try await Self.with { harness in
            let (teachFirst, teachFirstConnection) = try await Self.provider("teach-first")
            let (ambition, ambitionConnection) = try await Self.provider("ambition-institute")
            defer {
                Task {
                    await teachFirstConnection.close()
                    await ambitionConnection.close()
                }
            }
            let first = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            let second = try await harness.client.ask(
                Self.submission(provider: "ambition-institute"), expecting: ApplicationReceived.self)
            for id in [first.applicationID, second.applicationID] { try await harness.publish(Self.assessed(id)) }
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 2 })

            // Another provider may not accept teach-first's application.
            let foreign = await #expect(throws: QueryRejectedError.self) {
                try await ambition.ask(
                    ApplicationAccept(applicationID: first.applicationID, fundedPlace: true),
                    expecting: ApplicationAccepted.self)
            }
            #expect(foreign?.rejection.reason == .unauthorized)

            // teach-first accepts its own: accepted, and the person's pending application elsewhere is rejected.
            try await teachFirst.send(ApplicationAccept(applicationID: first.applicationID, fundedPlace: true))
            #expect(await eventually { await harness.events(ApplicationAccepted.self).count == 1 })
            #expect(
                await eventually {
                    await harness.events(ApplicationRejected.self).contains {
                        $0.applicationID == second.applicationID && $0.cause == .otherApplicationInThisCohortAccepted
                    }
                })
            let accepted = try #require(await harness.events(ApplicationAccepted.self).first)
            #expect(accepted.applicationID == first.applicationID)
            #expect(accepted.fundedPlace == true)
            #expect(accepted.trn == "1234567")

            // A third application of the same person for the same course and cohort cannot be accepted.
            let third = try await harness.client.ask(
                Self.submission(email: "alex@other.example"), expecting: ApplicationReceived.self)
            try await harness.publish(Self.assessed(third.applicationID))
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 3 })
            let refused = await #expect(throws: QueryRejectedError.self) {
                try await teachFirst.ask(
                    ApplicationAccept(applicationID: third.applicationID, fundedPlace: true),
                    expecting: ApplicationAccepted.self)
            }
            #expect(refused?.rejection.fieldErrors.map(\.rule) == ["already_accepted_same_course_cohort"])
            #expect(await harness.events(ApplicationAccepted.self).count == 1)

            // The provider's training decisions follow the state machine.
            try await teachFirst.send(ApplicationDefer(applicationID: first.applicationID, reason: .parentalLeave))
            #expect(await eventually { await harness.events(ParticipantDeferred.self).count == 1 })
            let deferAgain = await #expect(throws: QueryRejectedError.self) {
                try await teachFirst.ask(
                    ApplicationDefer(applicationID: first.applicationID, reason: .other),
                    expecting: ParticipantDeferred.self)
            }
            #expect(deferAgain?.rejection.fieldErrors.map(\.rule) == ["training_status"])

            // Queries are scoped to the asking provider; an operator reads every application, page by page.
            let own = try await teachFirst.ask(ApplicationList(cohort: "2026b"), expecting: ApplicationListResult.self)
            #expect(Set(own.applications.map(\.applicationID)) == [first.applicationID, third.applicationID])
            let theirs = try await ambition.ask(ApplicationList(), expecting: ApplicationListResult.self)
            #expect(theirs.applications.map(\.applicationID) == [second.applicationID])
            let hidden = await #expect(throws: QueryRejectedError.self) {
                try await ambition.ask(
                    ApplicationGet(applicationID: first.applicationID), expecting: ApplicationGetResult.self)
            }
            #expect(hidden?.rejection.fieldErrors.map(\.rule) == ["known_application"])
            let view = try await teachFirst.ask(
                ApplicationGet(applicationID: first.applicationID), expecting: ApplicationGetResult.self)
            #expect(view.application.approval == "accepted")
            #expect(view.application.training == "deferred")
            #expect(view.application.history.map(\.action) == ["submitted", "accepted", "deferred"])
            #expect(view.application.history[1].by == "npq-lp-teach-first")
            var seen: [UUID] = []
            var cursor: String?
            repeat {
                let page = try await harness.client.ask(
                    ApplicationList(cursor: cursor, pageSize: 1), expecting: ApplicationListResult.self)
                seen += page.applications.map(\.applicationID)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(Set(seen) == [first.applicationID, second.applicationID, third.applicationID])
            #expect(seen.count == 3)
        }
    }

    @Test(
        "A changed funding decision goes into the history and is announced; an older decision arriving late is ignored")
    func fundingChanged() async throws {
        try await Self.with { harness in
            let received = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            try await harness.publish(Self.assessed(received.applicationID, funded: false))
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 1 })
            var override = Self.assessed(received.applicationID)
            override.outcome = FundingOutcome(
                status: .markedFundedByPolicy, funded: true, reviewRequired: false, explanation: "Confirmed by DfE.")
            override.assessedAt = Self.july.addingTimeInterval(3_600)
            override.overriddenBy = "npq-operator"
            override.overrideReason = "School joined PP50"
            try await harness.publish(override)
            #expect(await eventually { await harness.events(ApplicationFundingChanged.self).count == 1 })
            let changed = try #require(await harness.events(ApplicationFundingChanged.self).first)
            #expect(changed.previous.status == .ineligibleEstablishmentType)
            #expect(changed.funding.status == .markedFundedByPolicy)
            #expect(changed.changedBy == "npq-operator")
            #expect(changed.applicant.email == "alex.morgan@example.sch.uk")

            // The first decision delivered again later (older assessedAt) does not undo the override.
            var late = Self.assessed(received.applicationID, funded: false)
            late.assessedAt = Self.july
            try await harness.publish(late)
            let marker = try await harness.client.ask(
                Self.submission(email: "marker@example.org"), expecting: ApplicationReceived.self)
            #expect(marker.course == "npq-headship")
            let view = try await harness.client.ask(
                ApplicationGet(applicationID: received.applicationID), expecting: ApplicationGetResult.self)
            #expect(view.application.funding?.status == .markedFundedByPolicy)
            #expect(view.application.history.map(\.action) == ["submitted", "funding_changed"])
            #expect(view.application.history[1].by == "npq-operator")
            #expect(view.application.history[1].reason?.contains("School joined PP50") == true)
            #expect(await harness.events(ApplicationFundingChanged.self).count == 1)
            #expect(await harness.events(ApplicationSubmitted.self).count == 1)
        }
    }

    @Test(
        "Interest in a course is registered once per email; when a cohort offering it opens, each person is told once")
    func interest() async throws {
        try await Self.with { harness in
            let first = try await harness.client.ask(
                InterestRegister(fullName: "Jo Bloggs", email: "Jo.Bloggs@example.org", course: "npq-senco"),
                expecting: InterestRegistered.self)
            #expect(!first.alreadyRegistered)
            // 1 July 2026: 2026b is open and offers NPQSENCO.
            #expect(first.openCohorts == ["2026b"])
            let again = try await harness.client.ask(
                InterestRegister(fullName: "Jo Bloggs", email: "jo.bloggs@example.org", course: "npq-senco"),
                expecting: InterestRegistered.self)
            #expect(again.alreadyRegistered)
            #expect(again.interestID == first.interestID)
            let other = try await harness.client.ask(
                InterestRegister(
                    fullName: "Sam Hill", email: "sam@example.org", course: "npq-headship", leadProvider: "teach-first"),
                expecting: InterestRegistered.self)

            for (command, field, rule) in [
                (
                    InterestRegister(fullName: "X", email: "x@example.org", course: "npq-basket-weaving"), "course",
                    "known_course"
                ),
                (
                    InterestRegister(
                        fullName: "X", email: "x@example.org", course: "npq-senco", leadProvider: "no-such-provider"),
                    "leadProvider", "known_lead_provider"
                ),
            ] {
                let error = await #expect(throws: QueryRejectedError.self) {
                    try await harness.client.ask(command, expecting: InterestRegistered.self)
                }
                #expect(error?.rejection.fieldErrors.contains { $0.field == field && $0.rule == rule } == true)
            }

            // A cohort opens offering NPQSENCO (not NPQH): only Jo is told, and only once however often it is announced.
            let cohort = CohortSummary(
                cohort: "2027a", name: "2027", fundingMode: .capped, registrationOpens: CalendarDate("2027-04-01")!,
                registrationCloses: CalendarDate("2027-09-30")!, startDate: CalendarDate("2027-11-15")!)
            let opened = CohortRegistrationOpened(
                cohort: cohort,
                offerings: [
                    OfferingDetails(
                        cohort: "2027a", course: "npq-senco", leadProvider: "teach-first", recruitmentTarget: nil,
                        offered: true,
                        acceptedApplications: 0),
                    OfferingDetails(
                        cohort: "2027a", course: "npq-senco", leadProvider: "ambition-institute",
                        recruitmentTarget: nil,
                        offered: true,
                        acceptedApplications: 0),
                    OfferingDetails(
                        cohort: "2027a", course: "npq-headship", leadProvider: "teach-first", recruitmentTarget: nil,
                        offered: false,
                        acceptedApplications: 0),
                ],
                openedAt: RFC3339.parse("2027-04-01T00:00:05+01:00")!)
            try await harness.publish(opened)
            try await harness.publish(opened)
            #expect(await eventually { await harness.events(InterestRegistrationOpened.self).count == 1 })
            let told = try #require(await harness.events(InterestRegistrationOpened.self).first)
            #expect(told.interestID == first.interestID)
            #expect(told.email == "Jo.Bloggs@example.org")
            #expect(told.leadProviders == ["ambition-institute", "teach-first"])
            #expect(told.registrationCloses == CalendarDate("2027-09-30")!)
            _ = try await harness.client.ask(
                InterestRegister(fullName: "Marker", email: "m@example.org", course: "npq-senco"),
                expecting: InterestRegistered.self)
            #expect(await harness.events(InterestRegistrationOpened.self).count == 1)
            #expect(
                !(await harness.events(InterestRegistrationOpened.self).contains { $0.interestID == other.interestID }))
        }
    }

    @Test(
        "An operator expires a closed cohort's pending applications; before it closes, or from a provider, it is refused"
    )
    func expiry() async throws {
        try await Self.with { harness in
            let (teachFirst, connection) = try await Self.provider("teach-first")
            defer { Task { await connection.close() } }
            let pending = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            let accepted = try await harness.client.ask(
                Self.submission(email: "b@example.org", trn: "7654321"), expecting: ApplicationReceived.self)
            for id in [pending.applicationID, accepted.applicationID] { try await harness.publish(Self.assessed(id)) }
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 2 })
            try await teachFirst.send(ApplicationAccept(applicationID: accepted.applicationID, fundedPlace: true))
            #expect(await eventually { await harness.events(ApplicationAccepted.self).count == 1 })

            let early = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(
                    ApplicationExpire(cohort: "2026b"), expecting: ApplicationExpiryCompleted.self)
            }
            #expect(early?.rejection.fieldErrors.map(\.rule) == ["registration_closed"])

            // 2026b's registration closed on 9 October.
            harness.clock.set(RFC3339.parse("2026-10-10T09:00:00+01:00")!)
            let provider = await #expect(throws: QueryRejectedError.self) {
                try await teachFirst.ask(ApplicationExpire(cohort: "2026b"), expecting: ApplicationExpiryCompleted.self)
            }
            #expect(provider?.rejection.reason == .unauthorized)
            let done = try await harness.client.ask(
                ApplicationExpire(cohort: "2026b"), expecting: ApplicationExpiryCompleted.self)
            #expect(done.expired == 1)
            #expect(await eventually { await harness.events(ApplicationRejected.self).count == 1 })
            let rejected = try #require(await harness.events(ApplicationRejected.self).first)
            #expect(rejected.applicationID == pending.applicationID)
            #expect(rejected.cause == .registrationExpired)
            let again = try await harness.client.ask(
                ApplicationExpire(cohort: "2026b"), expecting: ApplicationExpiryCompleted.self)
            #expect(again.expired == 0)
            let view = try await harness.client.ask(
                ApplicationGet(applicationID: accepted.applicationID), expecting: ApplicationGetResult.self)
            #expect(view.application.approval == "accepted")
        }
    }

    @Test("The same submission delivered twice (one message id) is one application, announced once")
    func submitIdempotent() async throws {
        try await Self.with { harness in
            let id = Envelope.newMessageID()
            try await harness.publish(Self.submission(), messageID: id)
            try await harness.publish(Self.submission(), messageID: id)
            #expect(await eventually { await harness.events(ApplicationReceived.self).count == 1 })
            // A later message behind them has been handled, so the duplicate has been too.
            _ = try await harness.client.ask(
                Self.submission(email: "later@example.org"), expecting: ApplicationReceived.self)
            // The reply can overtake the event: wait for the later one's event, then count.
            #expect(
                await eventually {
                    await harness.events(ApplicationReceived.self).contains {
                        $0.applicant.email == "later@example.org"
                    }
                })
            #expect(await harness.events(ApplicationReceived.self).count == 2)
            let all = try await harness.client.ask(ApplicationList(), expecting: ApplicationListResult.self)
            #expect(all.applications.count == 2)
        }
    }

    @Test("Answers the funding rules cannot decide are refused at submission, naming the field, and nothing is stored")
    func undecidableRefused() async throws {
        try await Self.with { harness in
            var unknownCollege = Self.submission(course: "npq-leading-teaching")
            unknownCollege.workplace = Workplace(
                worksIn: .england, workSetting: .a16To19EducationalSetting, institution: Institution(ukprn: "19999999"))
            var ehcoWithoutHeadship = Self.submission(course: "npq-early-headship-coaching-offer")
            ehcoWithoutHeadship.workplace.headteacherStatus = nil
            // The first only the funding rules can see (no establishment type for that UKPRN); the second the
            // submission check sees itself.
            for (submission, field, rule) in [
                (unknownCollege, "workplace.institution", "eligibility_input"),
                (ehcoWithoutHeadship, "workplace.headteacherStatus", "required"),
            ] {
                let error = await #expect(throws: QueryRejectedError.self) {
                    try await harness.client.ask(submission, expecting: ApplicationReceived.self)
                }
                let found = error?.rejection.fieldErrors.first { $0.rule == rule }
                #expect(
                    found?.field.hasPrefix(field) == true, "\(error?.rejection.fieldErrors.map(\.description) ?? [])")
            }
            let all = try await harness.client.ask(ApplicationList(), expecting: ApplicationListResult.self)
            #expect(all.applications.isEmpty)
            #expect(await harness.events(ApplicationReceived.self).isEmpty)
        }
    }

    @Test(
        "A funding decision for an application already rejected is kept but not announced as submitted; an unfunding decision for a held funded place is refused"
    )
    func decisionsAfterTheFact() async throws {
        try await Self.with { harness in
            let (teachFirst, connection) = try await Self.provider("teach-first")
            defer { Task { await connection.close() } }
            // The same person twice: one decided and accepted, the other still undecided when that happens.
            let decided = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            let undecided = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            try await harness.publish(Self.assessed(decided.applicationID))
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 1 })
            try await teachFirst.send(ApplicationAccept(applicationID: decided.applicationID, fundedPlace: true))
            #expect(
                await eventually {
                    await harness.events(ApplicationRejected.self).contains {
                        $0.applicationID == undecided.applicationID
                    }
                })
            try await harness.publish(Self.assessed(undecided.applicationID))
            var late = Self.assessed(decided.applicationID, funded: false)
            late.outcome.status = .markedIneligibleByPolicy
            late.assessedAt = Self.july.addingTimeInterval(60)
            late.overriddenBy = "npq-operator"
            late.overrideReason = "crossed the acceptance"
            try await harness.publish(late)
            #expect(
                await eventually {
                    await harness.events(MessageRejected.self).contains {
                        $0.service == "applications" && $0.fieldErrors.contains { $0.rule == "funded_place_held" }
                    }
                })
            #expect(await harness.events(ApplicationSubmitted.self).count == 1)
            #expect(await harness.events(ApplicationFundingChanged.self).isEmpty)
            let closed = try await harness.client.ask(
                ApplicationGet(applicationID: undecided.applicationID), expecting: ApplicationGetResult.self)
            #expect(closed.application.funding?.status == .funded)
            #expect(closed.application.approval == "rejected")
            let held = try await harness.client.ask(
                ApplicationGet(applicationID: decided.applicationID), expecting: ApplicationGetResult.self)
            #expect(held.application.funding?.status == .funded)
            #expect(held.application.fundedPlace == true)
        }
    }

    @Test("The schedule the cohorts service assigned is kept with the accepted application")
    func scheduleFromCohorts() async throws {
        try await Self.with { harness in
            let (teachFirst, connection) = try await Self.provider("teach-first")
            defer { Task { await connection.close() } }
            let received = try await harness.client.ask(Self.submission(), expecting: ApplicationReceived.self)
            try await harness.publish(Self.assessed(received.applicationID))
            #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 1 })
            try await teachFirst.send(ApplicationAccept(applicationID: received.applicationID, fundedPlace: true))
            #expect(await eventually { await harness.events(ApplicationAccepted.self).count == 1 })
            try await harness.publish(
                ParticipantScheduled(
                    applicationID: received.applicationID, cohort: "2026b", course: "npq-headship",
                    courseGroup: .leadership, leadProvider: "teach-first", schedule: "npq-leadership-autumn",
                    scheduleDefaulted: true,
                    milestones: [Milestone(.started, CalendarDate("2026-11-16")!)],
                    startDate: CalendarDate("2026-11-16")!,
                    expectedOutcomeDate: CalendarDate("2028-09-16"), scheduledAt: Self.july))
            #expect(
                await eventually {
                    (try? await harness.client.ask(
                        ApplicationGet(applicationID: received.applicationID), expecting: ApplicationGetResult.self))?
                        .application.schedule == "npq-leadership-autumn"
                })
        }
    }
}
