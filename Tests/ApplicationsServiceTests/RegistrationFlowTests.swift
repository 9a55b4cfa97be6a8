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
            // A 16 to 19 setting named by its UKPRN: a targeted course is funded on the PP50 FE list, not elsewhere.
            Profile(
                course: "npq-leading-teaching",
                workplace: Workplace(
                    worksIn: .england, workSetting: .a16To19EducationalSetting,
                    institution: Institution(ukprn: "10003001")),
                expected: .funded),
            Profile(
                course: "npq-leading-teaching",
                workplace: Workplace(
                    worksIn: .england, workSetting: .a16To19EducationalSetting,
                    institution: Institution(ukprn: "10020005")),
                expected: .ineligibleEstablishmentNotAPP50),
            // A lead mentor of an approved ITT provider: NPQLTD only.
            Profile(
                course: "npq-leading-teaching-development",
                workplace: Workplace(
                    worksIn: .england, workSetting: .anotherSetting,
                    employmentType: .leadMentorForAccreditedITTProvider, ittProviderApproved: true),
                expected: .funded),
            Profile(
                course: "npq-headship",
                workplace: Workplace(
                    worksIn: .england, workSetting: .anotherSetting,
                    employmentType: .leadMentorForAccreditedITTProvider, ittProviderApproved: true),
                expected: .notLeadMentorCourse),
            // Referred by a return-to-teaching adviser: manual review.
            Profile(
                course: "npq-headship",
                workplace: Workplace(worksIn: .england, workSetting: .other, referredByReturnToTeachingAdviser: true),
                expected: .referredByReturnToTeachingAdviser),
            // A local authority nursery school (GIAS type 15) asking for NPQH.
            Profile(
                course: "npq-headship",
                workplace: Workplace(
                    worksIn: .england, workSetting: .earlyYearsOrChildcare, institution: Institution(urn: "107203"),
                    kindOfNursery: .localAuthorityMaintainedNursery),
                expected: .funded),
        ]
    }()

    @Test(
        "1,000 applications: each announced once with the funding its answers give; providers accept only their own, a second acceptance for the same person is refused, the other pending one auto-rejected"
    )
    func thousandApplications() async throws {
        let reference = ExecutableRun.repository.appendingPathComponent("reference")
        let applications = ApplicationsService.Options(
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            readers: [try TestBroker.configuration().user],
            schoolsFile: reference.appendingPathComponent("eligibility/schools.csv").path,
            eligibilityDirectory: reference.appendingPathComponent("eligibility").path)
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
            let (teachFirst, teachFirstConnection) = try await ApplicationsServiceTests.provider("teach-first")
            let (ambition, ambitionConnection) = try await ApplicationsServiceTests.provider("ambition-institute")
            do {
                // A registration front end submits 1,000 applications across courses, settings and two providers.
                var expected: [String: EligibilityStatus] = [:]  // by applicant email
                var expectedFunded = 0
                for index in 0..<1_000 {
                    let profile = Self.profiles[index % Self.profiles.count]
                    let email = "applicant\(index)@example.sch.uk"
                    expected[email] = profile.expected
                    if profile.expected == .funded { expectedFunded += 1 }
                    try await harness.client.send(
                        ApplicationSubmit(
                            applicant: Applicant(fullName: "Applicant \(index)", email: email),
                            course: profile.course, leadProvider: index % 4 == 3 ? "ambition-institute" : "teach-first",
                            cohort: "2026b", workplace: profile.workplace, sencoInRole: profile.senco ? "yes" : nil,
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
                #expect(submitted.filter { $0.funding?.funded == true }.count == expectedFunded)
                #expect(Set(submitted.compactMap(\.funding?.status)) == Set(Self.profiles.map(\.expected)))

                // Teach First accepts ten of its own, with a funded place where the application is funded.
                let own = submitted.filter { $0.leadProvider == "teach-first" }.prefix(10)
                for event in own {
                    try await teachFirst.send(
                        ApplicationAccept(
                            applicationID: event.applicationID, fundedPlace: event.funding?.funded == true))
                }
                #expect(await eventually { await harness.events(ApplicationAccepted.self).count == 10 })

                // Ambition Institute tries to accept one of Teach First's: refused and reported, nothing changes.
                let foreign = try #require(submitted.first { $0.leadProvider == "teach-first" && !own.contains($0) })
                let stolen = await #expect(throws: QueryRejectedError.self) {
                    try await ambition.ask(
                        ApplicationAccept(applicationID: foreign.applicationID, fundedPlace: false),
                        expecting: ApplicationAccepted.self)
                }
                #expect(stolen?.rejection.reason == .unauthorized)
                #expect(
                    await eventually {
                        await harness.events(MessageRejected.self).contains {
                            $0.service == "applications" && $0.reason == .unauthorized
                        }
                    })

                // One person applies twice for NPQH (to each provider); Teach First accepts its one: Ambition's
                // pending one is rejected automatically. A third application after that cannot be accepted.
                let person = Applicant(fullName: "Robin Ellis", email: "robin.ellis@example.sch.uk", trn: "3456789")
                func submit(_ provider: String) async throws -> UUID {
                    try await harness.client.ask(
                        ApplicationSubmit(
                            applicant: person, course: "npq-headship", leadProvider: provider, cohort: "2026b",
                            workplace: Self.school("100103")),
                        expecting: ApplicationReceived.self
                    ).applicationID
                }
                let first = try await submit("teach-first")
                let second = try await submit("ambition-institute")
                #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 1_002 })
                try await teachFirst.send(ApplicationAccept(applicationID: first, fundedPlace: true))
                #expect(
                    await eventually {
                        await harness.events(ApplicationRejected.self).contains {
                            $0.applicationID == second && $0.cause == .otherApplicationInThisCohortAccepted
                        }
                    })
                let third = try await submit("teach-first")
                #expect(await eventually { await harness.events(ApplicationSubmitted.self).count == 1_003 })
                let again = await #expect(throws: QueryRejectedError.self) {
                    try await teachFirst.ask(
                        ApplicationAccept(applicationID: third, fundedPlace: false), expecting: ApplicationAccepted.self
                    )
                }
                #expect(again?.rejection.fieldErrors.map(\.rule) == ["already_accepted_same_course_cohort"])
                #expect(await harness.events(ApplicationAccepted.self).count == 11)
                let view = try await harness.client.ask(
                    ApplicationGet(applicationID: foreign.applicationID), expecting: ApplicationGetResult.self)
                #expect(view.application.approval == "pending")
            } catch {
                await teachFirstConnection.close()
                await ambitionConnection.close()
                try await eligibilityService.stop()
                throw error
            }
            await teachFirstConnection.close()
            await ambitionConnection.close()
            try await eligibilityService.stop()
        }
    }

    @Test("A funded acceptance makes the person previously funded for the course; an operator's override is kept")
    func previouslyFundedAndOverride() async throws {
        let reference = ExecutableRun.repository.appendingPathComponent("reference")
        let applications = ApplicationsService.Options(
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            readers: [try TestBroker.configuration().user],
            schoolsFile: ExecutableRun.repository.appendingPathComponent("reference/eligibility/schools.csv").path,
            eligibilityDirectory: ExecutableRun.repository.appendingPathComponent("reference/eligibility").path)
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
