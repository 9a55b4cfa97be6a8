import ApplicationsService
import EligibilityService
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// The applications and eligibility services together over the real broker: a registration front end submits
/// 1,000 applications across courses and settings, and each is announced once with the funding outcome the rules
/// of eligibility.md give for its answers and the shipped reference data.
@Suite("Registration flow", .serialized, .timeLimit(.minutes(5)))
struct RegistrationFlowTests {
    /// An applicant's answers and the decision eligibility.md gives them with the shipped lists (2026b, capped).
    struct Profile {
        var course: String
        var workplace: Workplace
        var expected: EligibilityStatus
        var senco = false
    }

    static func school(_ urn: String) -> Workplace {
        Workplace(worksIn: .england, workSetting: .aSchool, institution: Institution(urn: urn))
    }

    static let profiles: [Profile] = {
        var ehcoNew = school("100103")
        ehcoNew.headteacherStatus = .yesInFirstFiveYears
        var ehcoLong = school("100103")
        ehcoLong.headteacherStatus = .yesOverFiveYears
        return [
            // A targeted course: funded at a PP50 school, or a RISE school; not elsewhere.
            Profile(course: "npq-leading-teaching", workplace: school("100101"), expected: .funded),
            Profile(
                course: "npq-leading-teaching", workplace: school("100103"), expected: .ineligibleEstablishmentNotAPP50),
            Profile(course: "npq-leading-teaching", workplace: school("100102"), expected: .funded),
            // A universal course at an eligible school; not at an independent school (type 11).
            Profile(course: "npq-headship", workplace: school("100103"), expected: .funded),
            Profile(course: "npq-headship", workplace: school("112002"), expected: .ineligibleEstablishmentType),
            Profile(course: "npq-headship", workplace: Workplace(worksIn: .scotland), expected: .notInEngland),
            // EHCO: new heads only.
            Profile(course: "npq-early-headship-coaching-offer", workplace: ehcoNew, expected: .funded),
            Profile(
                course: "npq-early-headship-coaching-offer", workplace: ehcoLong,
                expected: .notNewHeadteacherRequestingEHCO),
            // Early years leadership: any setting but a childminder who is not on the list.
            Profile(
                course: "npq-early-years-leadership",
                workplace: Workplace(
                    worksIn: .england, workSetting: .earlyYearsOrChildcare, kindOfNursery: .privateNursery),
                expected: .funded),
            Profile(
                course: "npq-early-years-leadership",
                workplace: Workplace(
                    worksIn: .england, workSetting: .earlyYearsOrChildcare,
                    institution: Institution(ofstedURN: "EY999999"),
                    kindOfNursery: .childminder),
                expected: .notEntitledChildminder),
            // A hospital school asking for NPQSENCO: manual review.
            Profile(
                course: "npq-senco",
                workplace: Workplace(worksIn: .england, workSetting: .anotherSetting, employmentType: .hospitalSchool),
                expected: .subjectToReview, senco: true),
        ]
    }()

    @Test("1,000 applications: each announced exactly once, with the funding outcome its answers give")
    func thousandApplications() async throws {
        let reference = ExecutableRun.repository.appendingPathComponent("reference")
        let applications = ApplicationsService.Options(
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            schoolsFile: reference.appendingPathComponent("eligibility/schools.csv").path)
        let eligibility = EligibilityService.Options(
            eligibilityDirectory: reference.appendingPathComponent("eligibility").path,
            schoolsFile: reference.appendingPathComponent("eligibility/schools.csv").path,
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            operators: [try TestBroker.configuration().user])
        try await ServiceHarness.with(
            service: "applications", now: RFC3339.parse("2026-07-01T10:00:00+01:00")!,
            bindings: [
                (Topology.eventsExchange, "application.#"), (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in try ApplicationsService.configure(&app, options: applications) }
        ) { harness in
            let eligibilityService = try await InProcessService(name: "eligibility") { app in
                try EligibilityService.configure(&app, options: eligibility)
            }
            do {
                var expected: [String: EligibilityStatus] = [:]  // by applicant email
                for index in 0..<1_000 {
                    let profile = Self.profiles[index % Self.profiles.count]
                    let email = "applicant\(index)@example.sch.uk"
                    expected[email] = profile.expected
                    try await harness.client.send(
                        ApplicationSubmit(
                            applicant: Applicant(fullName: "Applicant \(index)", email: email),
                            course: profile.course, leadProvider: "teach-first", cohort: "2026b",
                            workplace: profile.workplace, sencoInRole: profile.senco ? "yes" : nil,
                            sencoStartDate: profile.senco ? "2025-09" : nil))
                }
                let complete = await eventually(timeout: .seconds(120)) {
                    await harness.events(ApplicationSubmitted.self).count >= 1_000
                }
                #expect(complete)
                let submitted = await harness.events(ApplicationSubmitted.self)
                #expect(submitted.count == 1_000)
                #expect(Set(submitted.map(\.applicationID)).count == 1_000)
                // Other suites' services refuse messages too, on the same exchange: only these two services count.
                let refused = await harness.events(MessageRejected.self).filter {
                    $0.service == "applications" || $0.service == "eligibility"
                }
                #expect(refused.isEmpty, "\(refused.map(\.detail).prefix(3))")
                var wrong: [String] = []
                for event in submitted where event.funding?.status != expected[event.applicant.email] {
                    wrong.append("\(event.applicant.email): \(event.funding?.status.rawValue ?? "none")")
                }
                #expect(wrong.isEmpty, "\(wrong.prefix(5))")
                // Five of the eleven profiles are funded; profiles 0–9 occur 91 times and profile 10 (not funded) 90.
                let funded = submitted.filter { $0.funding?.funded == true }.count
                #expect(funded == 455)
            } catch {
                try await eligibilityService.stop()
                throw error
            }
            try await eligibilityService.stop()
        }
    }

    @Test("A funded acceptance makes the person previously funded for the course; an operator's override is kept")
    func previouslyFundedAndOverride() async throws {
        let reference = ExecutableRun.repository.appendingPathComponent("reference")
        let applications = ApplicationsService.Options(
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            readers: [try TestBroker.configuration().user],
            schoolsFile: ExecutableRun.repository.appendingPathComponent("reference/eligibility/schools.csv").path)
        let eligibility = EligibilityService.Options(
            eligibilityDirectory: reference.appendingPathComponent("eligibility").path,
            schoolsFile: reference.appendingPathComponent("eligibility/schools.csv").path,
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            operators: [try TestBroker.configuration().user])
        try await ServiceHarness.with(
            service: "applications", now: RFC3339.parse("2026-07-01T10:00:00+01:00")!,
            bindings: [(Topology.eventsExchange, "application.#"), (Topology.eventsExchange, "eligibility.#")],
            configure: { app in try ApplicationsService.configure(&app, options: applications) }
        ) { harness in
            let eligibilityService = try await InProcessService(name: "eligibility") { app in
                try EligibilityService.configure(&app, options: eligibility)
            }
            do {
                let (teachFirst, connection) = try await ApplicationsServiceTests.provider("teach-first")
                defer { Task { await connection.close() } }
                let submit = ApplicationSubmit(
                    applicant: Applicant(fullName: "Sam Head", email: "sam.head@example.sch.uk", trn: "2223334"),
                    course: "npq-headship", leadProvider: "teach-first", cohort: "2026b",
                    workplace: Self.school("100103"))
                let first = try await harness.client.ask(submit, expecting: ApplicationReceived.self)
                #expect(
                    await eventually {
                        await harness.events(ApplicationSubmitted.self).contains {
                            $0.applicationID == first.applicationID && $0.funding?.status == .funded
                        }
                    })
                try await teachFirst.send(ApplicationAccept(applicationID: first.applicationID, fundedPlace: true))
                #expect(await eventually { await harness.events(ApplicationAccepted.self).count == 1 })

                // The same person (by TRN, under another email) applies again for the same course.
                var again = submit
                again.applicant.email = "sam.h@another.example"
                let second = try await harness.client.ask(again, expecting: ApplicationReceived.self)
                #expect(
                    await eventually {
                        await harness.events(ApplicationSubmitted.self).contains {
                            $0.applicationID == second.applicationID && $0.funding?.status == .previouslyFunded
                        }
                    })

                // An operator overrides it, with a reason; the application keeps the new decision.
                try await harness.client.send(
                    EligibilityOverride(
                        applicationID: second.applicationID, status: .markedFundedByPolicy,
                        reason: "Funding of the first place was recovered"))
                #expect(
                    await eventually {
                        (try? await harness.client.ask(
                            ApplicationGet(applicationID: second.applicationID), expecting: ApplicationGetResult.self))?
                            .application.funding?.status == .markedFundedByPolicy
                    })
            } catch {
                try await eligibilityService.stop()
                throw error
            }
            try await eligibilityService.stop()
        }
    }
}
