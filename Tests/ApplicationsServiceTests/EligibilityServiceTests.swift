import AMQP
import ApplicationsService
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
                (Topology.eventsExchange, "eligibility.#"), (Topology.eventsExchange, "school.register.#"),
                (Topology.eventsExchange, MessageRejected.routingKey),
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

    // MARK: - The schools register

    /// A school as the register's messages carry it: open unless `status` says otherwise.
    static func school(
        _ urn: String, type: Int = 1, status: Int = 1, name: String = "A School", line: Int? = nil
    ) -> SchoolRegisterEntry {
        SchoolRegisterEntry(
            urn: urn, name: name, establishmentTypeCode: type, establishmentStatusCode: status,
            localAuthorityCode: "202", postcode: "NW1 1AA", line: line)
    }

    /// An import of `parts` (each a list of schools), with a fresh import id.
    static func register(
        _ parts: [[SchoolRegisterEntry]], sha256: String = String(repeating: "a", count: 64)
    )
        -> [SchoolRegisterImport]
    {
        let id = UUID()
        return parts.enumerated().map { index, schools in
            SchoolRegisterImport(
                importID: id, part: index + 1, parts: parts.count, sha256: sha256, fileName: "edubase-test.csv",
                schools: schools)
        }
    }

    /// Sends every part but the last, then asks the last (the service takes its queue in order, and the earlier
    /// parts are in it once confirmed) and returns the answer.
    static func importRegister(
        _ parts: [SchoolRegisterImport], _ harness: ServiceHarness
    ) async throws
        -> SchoolRegisterImported
    {
        for part in parts.dropLast() { try await harness.client.send(part) }
        return try await harness.client.ask(parts.last!, expecting: SchoolRegisterImported.self)
    }

    /// The funding decision for an npq-headship application at `urn`.
    static func headshipDecision(_ harness: ServiceHarness, urn: String) async throws -> EligibilityStatus? {
        let application = Self.received(course: "npq-headship", urn: urn)
        try await harness.publish(application)
        return await Self.decision(harness, application)?.outcome.status
    }

    @Test(
        "An operator's register, sent in parts, becomes a new version with counts, decides applications received afterwards, and its changes are published"
    )
    func registerImportedInParts() async throws {
        try await Self.with { harness in
            // The file seeds the register as version 1, published whole.
            #expect(await eventually { await harness.events(SchoolRegisterImported.self).count == 1 })
            let seeded = try #require(await harness.events(SchoolRegisterImported.self).first)
            #expect(seeded.version == 1 && seeded.importedBy == "file" && seeded.schools == 32 && seeded.added == 32)
            #expect(await eventually { await harness.events(SchoolRegisterChanged.self).count == 1 })
            #expect(try await Self.headshipDecision(harness, urn: "100101") == .funded)
            #expect(try await Self.headshipDecision(harness, urn: "199001") == .subjectToReview)

            // 100101 has closed, 199001 has opened, and only a few schools remain.
            let parts = Self.register([
                [Self.school("100101", status: 2, name: "Ashcombe Primary School"), Self.school("100102", type: 2)],
                [Self.school("199001", name: "Newfield Academy")],
                [Self.school("107201", type: 5)],
            ])
            let imported = try await Self.importRegister(parts, harness)
            #expect(imported.version == 2)
            #expect(imported.schools == 4)
            #expect(imported.added == 1)
            #expect(imported.removed == 29)
            // 100101 closed; the other two kept schools get this test's name and postcode.
            #expect(imported.changed == 3)
            #expect(imported.importedBy == (try TestBroker.configuration().user))
            #expect(imported.importID == parts[0].importID)
            #expect(imported.fileName == "edubase-test.csv")

            #expect(try await Self.headshipDecision(harness, urn: "100101") == .subjectToReview)
            #expect(try await Self.headshipDecision(harness, urn: "199001") == .funded)
            #expect(await eventually { await harness.events(SchoolRegisterChanged.self).count == 2 })
            let changes = try #require(await harness.events(SchoolRegisterChanged.self).last)
            #expect(changes.version == 2 && changes.part == 1 && changes.parts == 1)
            #expect(Set(changes.schools.map(\.urn)) == ["100101", "100102", "107201", "199001"])
            #expect(changes.schools.first { $0.urn == "100101" }?.establishmentStatusCode == 2)
            #expect(changes.removed.count == 29 && changes.removed.contains("113003"))

            // A part sent again is answered with the version it made; the same register again makes none.
            let again = try await harness.client.ask(parts[1], expecting: SchoolRegisterImported.self)
            #expect(again == imported)
            let same = try await Self.importRegister(Self.register(parts.map(\.schools)), harness)
            #expect(same.version == 2)
            #expect(same.importID == parts[0].importID)

            // An import survives a restart: the unchanged file is not imported over it.
            try await harness.restart()
            #expect(try await Self.headshipDecision(harness, urn: "199001") == .funded)
            #expect(await harness.events(SchoolRegisterImported.self).count == 2)
        }
    }

    @Test(
        "A bad register is refused naming the part, line and field, and the register is left as it was",
        arguments: [
            (
                "a URN in two parts", "schools[0].urn", "school_register",
                "in part 2, 100101 is listed more than once (first on line 2)"
            ),
            ("parts that disagree", "sha256", "same_import", "gave sha256"),
            ("a part beyond the count", "part", "part_in_parts", "part 3 of an import of 2 parts"),
        ])
    func badRegisterRefused(problem: String, field: String, rule: String, mention: String) async throws {
        try await Self.with { harness in
            #expect(await eventually { await harness.events(SchoolRegisterImported.self).count == 1 })
            var parts = Self.register([[Self.school("100101", line: 2)], [Self.school("199001", line: 3)]])
            switch problem {
            case "a URN in two parts": parts[1].schools = [Self.school("100101", line: 3)]
            case "parts that disagree": parts[1].sha256 = String(repeating: "b", count: 64)
            default: parts[1].part = 3
            }
            let rejection = try await Self.rejection { _ = try await Self.importRegister(parts, harness) }
            let error = try #require(rejection?.fieldErrors.first, "\(problem)")
            #expect(error.field == field)
            #expect(error.rule == rule)
            #expect(error.message.contains(mention), "\(error.message)")
            if problem == "a URN in two parts" { #expect(error.message.hasPrefix("line 3: ")) }
            #expect(try await Self.headshipDecision(harness, urn: "199001") == .subjectToReview)
            #expect(try await Self.headshipDecision(harness, urn: "100101") == .funded)
            #expect(await harness.events(SchoolRegisterImported.self).count == 1)
        }
    }

    @Test("Only operators may import the schools register")
    func registerOperatorsOnly() async throws {
        try await Self.with(operators: ["npq-operator"]) { harness in
            let rejection = try await Self.rejection {
                _ = try await Self.importRegister(Self.register([[Self.school("199001")]]), harness)
            }
            #expect(rejection?.reason == .unauthorized)
            #expect(
                rejection?.detail.contains("only operators (NPQ_OPERATOR_USERS) may import the schools register")
                    == true)
        }
    }

    /// A GIAS extract of `count` open community schools from URN 200000, in Windows-1252 (one name has an é), with
    /// `extra` rows appended as they are.
    static func giasFile(count: Int, extra: String = "") -> Data {
        var text =
            "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (code),TypeOfEstablishment (name),"
            + "EstablishmentStatus (code),EstablishmentStatus (name),Postcode,UKPRN\r\n"
        for index in 0..<count {
            text +=
                "\(200_000 + index),202,Camden,\"Example Primary School, No. \(index)\",1,Community school,1,Open,"
                + "NW1 \(index % 10)AA,\r\n"
        }
        var data = Data(text.utf8)
        // One name in Windows-1252, as GIAS writes it: é is the single byte E9.
        data += Data("199001,202,Camden,Caf".utf8) + [0xE9]
        data += Data(" School,1,Community school,1,Open,NW1 9ZZ,10012345\r\n".utf8)
        data += Data(extra.utf8)
        return data
    }

    /// The SHA-256 of `file` as `sha256sum` prints it.
    static func sha256sum(_ file: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64).description
    }

    @Test(
        "`npq reference import schools` checks a GIAS file first, sends it in parts, and reports the new version; the same file again changes nothing"
    )
    func cliImportsRegister() async throws {
        try await Self.with { harness in
            #expect(await eventually { await harness.events(SchoolRegisterImported.self).count == 1 })
            let url = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func npq(_ arguments: [String]) async throws -> ExecutableRun {
                try await ExecutableRun(
                    "npq", ["reference", "import", "schools"] + arguments, environment: ["NPQ_AMQP_URL": url],
                    timeout: .seconds(120))
            }

            let bad = folder.appendingPathComponent("edubase-bad.csv")
            try Self.giasFile(count: 10, extra: "20001,202,Camden,Short URN School,1,Community school,1,Open,,\r\n")
                .write(to: bad)
            let refused = try await npq([bad.path])
            #expect(refused.status == 2)
            #expect(refused.output.isEmpty)
            #expect(
                refused.error.contains("edubase-bad.csv: line 13: URN: \"20001\" is not a URN: a URN is 6 digits"),
                "\(refused.error)")

            // 12,001 schools: about 2.6 MB of entries, so several parts.
            let file = folder.appendingPathComponent("edubasealldata20260901.csv")
            try Self.giasFile(count: 12_000).write(to: file)
            let sha256 = try Self.sha256sum(file.path)
            let dry = try await npq([file.path, "--dry-run"])
            #expect(dry.status == 0, "\(dry.error)")
            #expect(
                dry.output.hasPrefix(
                    "edubasealldata20260901.csv: 12001 establishments (12001 open), SHA-256 \(sha256); would be sent in "
                ), "\(dry.output)")

            let run = try await npq([file.path, "--json"])
            #expect(run.status == 0, "\(run.error)")
            let imported = try ContractDecoder.decode(SchoolRegisterImported.self, from: Data(run.output.utf8))
            #expect(imported.version == 2)
            #expect(imported.schools == 12_001)
            #expect(imported.added == 12_001)
            #expect(imported.removed == 32)
            #expect(imported.sha256 == sha256)
            #expect(imported.fileName == "edubasealldata20260901.csv")
            #expect(
                await eventually {
                    await harness.events(SchoolRegisterChanged.self).filter { $0.version == 2 }.count > 1
                })
            let changed = await harness.events(SchoolRegisterChanged.self).filter { $0.version == 2 }
            #expect(changed.allSatisfy { $0.parts == changed.count })
            #expect(changed.flatMap(\.schools).count == 12_001)
            #expect(changed.flatMap(\.schools).first { $0.urn == "199001" }?.name == "Café School")
            #expect(changed.flatMap(\.schools).first { $0.urn == "199001" }?.ukprn == "10012345")
            #expect(try await Self.headshipDecision(harness, urn: "205000") == .funded)

            let again = try await npq([file.path])
            #expect(again.status == 0, "\(again.error)")
            #expect(
                again.output.hasPrefix(
                    "The schools register already holds what edubasealldata20260901.csv says: version 2, 12001 schools"),
                "\(again.output)")
        }
    }

    @Test("A register imported with npq reaches npq-applications: a school it adds may be named from then on")
    func registerReachesApplications() async throws {
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
            service: "applications", now: Self.july,
            bindings: [
                (Topology.eventsExchange, "application.#"), (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in try ApplicationsService.configure(&app, options: applications) }
        ) { harness in
            let eligibilityService = try await InProcessService(name: "eligibility") { app in
                try EligibilityService.configure(&app, options: eligibility)
            }
            do {
                func submit(urn: String) async throws -> MessageRejected? {
                    try await Self.rejection {
                        _ = try await harness.client.ask(
                            ApplicationSubmit(
                                applicant: Applicant(fullName: "Sam Reid", email: "sam.\(UUID())@example.org"),
                                course: "npq-headship", leadProvider: "teach-first", cohort: "2026b",
                                workplace: Workplace(
                                    worksIn: .england, workSetting: .aSchool, institution: Institution(urn: urn))),
                            expecting: ApplicationReceived.self)
                    }
                }
                #expect(try await submit(urn: "199777")?.fieldErrors.first?.rule == "known_school")
                #expect(try await submit(urn: "100101") == nil)

                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let file = folder.appendingPathComponent("edubase.csv")
                var csv = try String(
                    contentsOf: reference.appendingPathComponent("eligibility/schools.csv"), encoding: .utf8)
                csv = csv.replacingOccurrences(
                    of: "\n100101,202,Camden,2001,Ashcombe Primary School,1,Community school,1,Open,",
                    with: "\n100101,202,Camden,2001,Ashcombe Primary School,1,Community school,2,Closed,")
                csv +=
                    "199777,202,Camden,2002,Newfield Primary School,1,Community school,1,Open,Primary,London,NW1 9ZZ,,01-09-2026,\n"
                try Data(csv.utf8).write(to: file)
                let run = try await ExecutableRun(
                    "npq", ["reference", "import", "schools", file.path],
                    environment: ["NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL")])
                #expect(run.status == 0, "\(run.error)")
                #expect(
                    run.output.hasPrefix(
                        "schools register: version 2, 33 schools (1 added, 0 removed, 1 changed), imported by "),
                    "\(run.output)")

                // npq-applications learns it from school.register.changed, shortly after.
                #expect(try await eventually { try await submit(urn: "199777") == nil })
                #expect(try await submit(urn: "100101")?.fieldErrors.first?.rule == "open_school")
            } catch {
                try await eligibilityService.stop()
                throw error
            }
            try await eligibilityService.stop()
        }
    }
}
