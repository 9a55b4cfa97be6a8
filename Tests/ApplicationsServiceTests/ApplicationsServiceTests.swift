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
            schoolsFile: ExecutableRun.repository.appendingPathComponent("reference/eligibility/schools.csv").path)
        try await ServiceHarness.with(
            service: "applications", now: now,
            bindings: [
                (Topology.eventsExchange, "application.#"), (Topology.eventsExchange, "participant.#"),
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
}
