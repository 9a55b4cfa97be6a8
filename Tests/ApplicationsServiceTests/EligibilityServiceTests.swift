import AMQP
import EligibilityService
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// `npq-eligibility` on its own over the real broker: reference lists replaced by command and versioned, cohorts
/// learned from events, and operators' overrides refused where applications.md says so.
@Suite("Eligibility service", .serialized, .timeLimit(.minutes(3)))
struct EligibilityServiceTests {
    static let july = RFC3339.parse("2026-07-01T10:00:00+01:00")!

    static func with(
        operators: Set<String>? = nil, eligibilityDirectory: String? = nil,
        _ body: (ServiceHarness) async throws -> Void
    ) async throws {
        let reference = ExecutableRun.repository.appendingPathComponent("reference")
        let options = EligibilityService.Options(
            eligibilityDirectory: eligibilityDirectory ?? reference.appendingPathComponent("eligibility").path,
            schoolsFile: reference.appendingPathComponent("eligibility/schools.csv").path,
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            operators: try operators ?? [TestBroker.configuration().user])
        try await ServiceHarness.with(
            service: "eligibility", now: july,
            bindings: [
                (Topology.eventsExchange, "eligibility.#"), (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in try EligibilityService.configure(&app, options: options) }, body)
    }

    static func received(
        course: String = "npq-leading-teaching", urn: String = "100103", cohort: String = "2026b",
        email: String = "pat.lee@example.sch.uk", trn: String? = nil
    ) -> ApplicationReceived {
        ApplicationReceived(
            applicationID: UUID(), applicant: Applicant(fullName: "Pat Lee", email: email, trn: trn), course: course,
            leadProvider: "teach-first", cohort: cohort,
            workplace: Workplace(worksIn: .england, workSetting: .aSchool, institution: Institution(urn: urn)),
            receivedAt: july)
    }

    /// The decision published for `application`.
    static func decision(_ harness: ServiceHarness, _ application: ApplicationReceived) async -> EligibilityAssessed? {
        guard
            await eventually({
                await harness.events(EligibilityAssessed.self).contains {
                    $0.applicationID == application.applicationID
                }
            })
        else { return nil }
        return await harness.events(EligibilityAssessed.self).last { $0.applicationID == application.applicationID }
    }

    static func rejection(_ body: () async throws -> Void) async throws -> MessageRejected? {
        do {
            try await body()
            return nil
        } catch let error as QueryRejectedError {
            return error.rejection
        }
    }

    @Test("The shipped list files are imported once as version 1, and not again at a restart while unchanged")
    func filesImportedOnce() async throws {
        try await Self.with { harness in
            #expect(await eventually { await harness.events(EligibilityListImported.self).count == 6 })
            let first = await harness.events(EligibilityListImported.self)
            #expect(Set(first.map(\.list)) == Set(EligibilityListName.allCases))
            #expect(first.allSatisfy { $0.version == 1 && $0.importedBy == "file" })
            #expect(first.first { $0.list == .pp50Schools }?.count == 6)
            try await harness.restart()
            let application = Self.received()
            try await harness.publish(application)
            #expect(await Self.decision(harness, application) != nil)
            #expect(await harness.events(EligibilityListImported.self).count == 6)
        }
    }

    @Test("An operator replaces the PP50 list: a new version with counts, used for applications received afterwards")
    func importReplacesList() async throws {
        try await Self.with { harness in
            let before = Self.received()
            try await harness.publish(before)
            #expect(await Self.decision(harness, before)?.outcome.status == .ineligibleEstablishmentNotAPP50)

            let csv =
                "Local authority,PP50 School URN,School name\nCamden,100101,Ashcombe\nCamden,100103,\"Brook, Hill\"\n"
                + "Camden,100103,Brook Hill (again)\n"
            let imported = try await harness.client.ask(
                EligibilityListImport(list: .pp50Schools, csv: csv, fileName: "pp50-2026-09.csv"),
                expecting: EligibilityListImported.self)
            #expect(imported.version == 2)
            #expect(imported.count == 2)
            #expect(imported.rowCount == 3)
            #expect(imported.added == 1)
            #expect(imported.removed == 5)
            #expect(imported.importedBy == (try TestBroker.configuration().user))
            #expect(imported.sha256.count == 64)

            let after = Self.received()
            try await harness.publish(after)
            #expect(await Self.decision(harness, after)?.outcome.status == .funded)
            // The earlier decision stands: a list applies from its import on.
            #expect(
                await harness.events(EligibilityAssessed.self).filter { $0.applicationID == before.applicationID }.count
                    == 1)

            // A command import survives a restart: the unchanged file in the folder is not imported over it.
            try await harness.restart()
            let later = Self.received()
            try await harness.publish(later)
            #expect(await Self.decision(harness, later)?.outcome.status == .funded)
        }
    }

    @Test(
        "A bad list file is refused naming the column or the line, and the list is left as it was",
        arguments: [
            ("School URN,Name\n100101,Ashcombe\n", "list_column", "no column \"PP50 School URN\""),
            ("PP50 School URN\n100101\n10010\n", "list_identifier", "line 3"),
            ("PP50 School URN\n100101\n\"unterminated\n", "list_column", "line 3"),
        ])
    func badListRefused(csv: String, rule: String, mention: String) async throws {
        try await Self.with { harness in
            #expect(await eventually { await harness.events(EligibilityListImported.self).count == 6 })
            let rejection = try await Self.rejection {
                _ = try await harness.client.ask(
                    EligibilityListImport(list: .pp50Schools, csv: csv), expecting: EligibilityListImported.self)
            }
            let error = try #require(rejection?.fieldErrors.first)
            #expect(error.field == "csv")
            #expect(error.rule == rule)
            #expect(error.message.contains(mention))
            // Nothing changed: the next good import is version 2, and the PP50 school is still funded.
            let application = Self.received(urn: "100101")
            try await harness.publish(application)
            #expect(await Self.decision(harness, application)?.outcome.status == .funded)
            let next = try await harness.client.ask(
                EligibilityListImport(list: .pp50Schools, csv: "PP50 School URN\n100101\n"),
                expecting: EligibilityListImported.self)
            #expect(next.version == 2)
            #expect(next.removed == 5)
        }
    }

    @Test("Only operators may import lists or override decisions")
    func operatorsOnly() async throws {
        try await Self.with(operators: ["npq-operator"]) { harness in
            let importRejection = try await Self.rejection {
                _ = try await harness.client.ask(
                    EligibilityListImport(list: .riseSchools, csv: "RISE School URN\n100103\n"),
                    expecting: EligibilityListImported.self)
            }
            #expect(importRejection?.reason == .unauthorized)
            let application = Self.received()
            try await harness.publish(application)
            #expect(await Self.decision(harness, application) != nil)
            let overrideRejection = try await Self.rejection {
                _ = try await harness.client.ask(
                    EligibilityOverride(
                        applicationID: application.applicationID, status: .markedFundedByPolicy, reason: "test"),
                    expecting: EligibilityAssessed.self)
            }
            #expect(overrideRejection?.reason == .unauthorized)
            #expect(await harness.events(EligibilityAssessed.self).count == 1)
        }
    }

    @Test(
        "An override is audited and published; marking a funded place ineligible, or funding an unfunded cohort, is refused"
    )
    func overrides() async throws {
        try await Self.with { harness in
            let application = Self.received()
            try await harness.publish(application)
            #expect(await Self.decision(harness, application)?.outcome.funded == false)
            let overridden = try await harness.client.ask(
                EligibilityOverride(
                    applicationID: application.applicationID, status: .markedFundedByPolicy,
                    reason: "School joined PP50 after publication"),
                expecting: EligibilityAssessed.self)
            #expect(overridden.outcome.status == .markedFundedByPolicy)
            #expect(overridden.outcome.funded)
            #expect(overridden.overriddenBy == (try TestBroker.configuration().user))
            #expect(overridden.overrideReason == "School joined PP50 after publication")

            // Accepted with a funded place: it cannot be made ineligible underneath the place.
            try await harness.publish(
                ApplicationAccepted(
                    applicationID: application.applicationID, course: application.course, leadProvider: "teach-first",
                    cohort: "2026b", schedule: "npq-specialist-autumn", fundedPlace: true, acceptedAt: Self.july))
            // The service's one queue takes messages in order, so the acceptance is recorded before the override.
            let refused = try await Self.rejection {
                _ = try await harness.client.ask(
                    EligibilityOverride(
                        applicationID: application.applicationID, status: .markedIneligibleByPolicy, reason: "Mistake"),
                    expecting: EligibilityAssessed.self)
            }
            #expect(refused?.fieldErrors.first?.rule == "funded_place_held")

            // 2026a is unfunded (the reference files): nothing in it is funded, by rule or by override.
            let unfunded = Self.received(course: "npq-headship", cohort: "2026a")
            try await harness.publish(unfunded)
            #expect(await Self.decision(harness, unfunded)?.outcome.status == .unfundedCohort)
            let zero = try await Self.rejection {
                _ = try await harness.client.ask(
                    EligibilityOverride(
                        applicationID: unfunded.applicationID, status: .markedFundedByPolicy, reason: "x"),
                    expecting: EligibilityAssessed.self)
            }
            #expect(zero?.fieldErrors.first?.rule == "funded_cohort")

            // The cohorts service redefines 2026a as capped: the service learns it from cohort.defined.
            try await harness.publish(
                CohortDefined(
                    cohort: CohortSummary(
                        cohort: "2026a", name: "2026a", fundingMode: .capped,
                        registrationOpens: CalendarDate("2025-12-01")!, registrationCloses: CalendarDate("2026-02-01")!,
                        startDate: CalendarDate("2026-03-01")!),
                    definedBy: "npq-operator", definedAt: Self.july))
            let capped = Self.received(course: "npq-headship", cohort: "2026a")
            try await harness.publish(capped)
            #expect(await Self.decision(harness, capped)?.outcome.status == .funded)
        }
    }

    @Test("An application the rules cannot decide (a cohort no policy version covers) is left for review, not parked")
    func undecidableLeftForReview() async throws {
        try await Self.with { harness in
            try await harness.publish(
                CohortDefined(
                    cohort: CohortSummary(
                        cohort: "2027a", name: "2027", fundingMode: .capped,
                        registrationOpens: CalendarDate("2027-04-01")!, registrationCloses: CalendarDate("2027-09-30")!,
                        startDate: CalendarDate("2027-11-15")!),
                    definedBy: "npq-operator", definedAt: Self.july))
            let application = Self.received(course: "npq-headship", cohort: "2027a")
            try await harness.publish(application)
            let decision = await Self.decision(harness, application)
            #expect(decision?.outcome.status == .subjectToReview)
            #expect(decision?.outcome.reviewRequired == true)
            #expect(decision?.outcome.explanation.contains("no policy version covers cohort 2027a") == true)
            #expect(await harness.events(MessageRejected.self).filter { $0.service == "eligibility" }.isEmpty)
        }
    }

    @Test("Previously funded is found by TRN when the application gives one, else by email")
    func previouslyFundedByTRN() async throws {
        try await Self.with { harness in
            let first = Self.received(course: "npq-headship", email: "a@example.org", trn: "1112223")
            try await harness.publish(first)
            #expect(await Self.decision(harness, first)?.outcome.status == .funded)
            try await harness.publish(
                ApplicationAccepted(
                    applicationID: first.applicationID, course: first.course, leadProvider: "teach-first",
                    cohort: "2026b", schedule: "npq-leadership-autumn", fundedPlace: true, acceptedAt: Self.july))
            // Same TRN, other email: previously funded.
            let sameTRN = Self.received(course: "npq-headship", email: "b@example.org", trn: "1112223")
            // Same email, another TRN: another person by TRN, so not previously funded.
            let otherTRN = Self.received(course: "npq-headship", email: "a@example.org", trn: "9998887")
            // Same email, no TRN: found by identity.
            let noTRN = Self.received(course: "npq-headship", email: "A@example.org")
            for application in [sameTRN, otherTRN, noTRN] { try await harness.publish(application) }
            #expect(await Self.decision(harness, sameTRN)?.outcome.status == .previouslyFunded)
            #expect(await Self.decision(harness, otherTRN)?.outcome.status == .funded)
            #expect(await Self.decision(harness, noTRN)?.outcome.status == .previouslyFunded)
        }
    }

    @Test(
        "`npq eligibility list import` checks the file before sending, reports the new version, and sends a large file's identifiers only"
    )
    func cliImport() async throws {
        try await Self.with { harness in
            #expect(await eventually { await harness.events(EligibilityListImported.self).count == 6 })
            let url = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func write(_ name: String, _ text: String) throws -> String {
                let file = folder.appendingPathComponent(name)
                try Data(text.utf8).write(to: file)
                return file.path
            }
            let good = try write("rise-2026-09.csv", "URN,RISE School URN,Trust\nx,100103,A\ny,100101,B\n")
            let dry = try await ExecutableRun(
                "npq", ["eligibility", "list", "import", "rise_schools", good, "--dry-run"],
                environment: ["NPQ_AMQP_URL": url])
            #expect(dry.status == 0, "\(dry.error)")
            #expect(dry.output == "rise_schools: 2 identifiers in 2 rows of rise-2026-09.csv; nothing sent\n")

            let bad = try write("rise-bad.csv", "RISE School URN\n100103\n10010x\n")
            let refused = try await ExecutableRun(
                "npq", ["eligibility", "list", "import", "rise_schools", bad], environment: ["NPQ_AMQP_URL": url])
            #expect(refused.status != 0)
            #expect(refused.error.contains("line 3"), "\(refused.error)")
            #expect(refused.error.contains("a URN is 6 digits"))

            let sent = try await ExecutableRun(
                "npq", ["eligibility", "list", "import", "rise_schools", good], environment: ["NPQ_AMQP_URL": url])
            #expect(sent.status == 0, "\(sent.error)")
            #expect(sent.output.hasPrefix("rise_schools: version 2, 2 identifiers (2 added, 2 removed), imported by "))

            // 30,000 schools with their names: over one message's size, so only the identifier column is sent.
            var large = "PP50 School URN,School name,Local authority\n"
            for urn in 100_000..<130_000 {
                large += "\(urn),Saint Example's Church of England Primary School,Somewhere\n"
            }
            let big = try write("pp50-full.csv", large)
            let bigRun = try await ExecutableRun(
                "npq", ["eligibility", "list", "import", "pp50_schools", big, "--json"],
                environment: ["NPQ_AMQP_URL": url])
            #expect(bigRun.status == 0, "\(bigRun.error)")
            #expect(bigRun.error.contains("sending its 30000 identifiers only"))
            let imported = try ContractDecoder.decode(EligibilityListImported.self, from: Data(bigRun.output.utf8))
            #expect(imported.version == 2)
            #expect(imported.count == 30_000)
            let application = Self.received(urn: "100103")
            try await harness.publish(application)
            #expect(await Self.decision(harness, application)?.outcome.status == .funded)
            #expect(await harness.events(EligibilityListImported.self).count == 8)
        }
    }
}
