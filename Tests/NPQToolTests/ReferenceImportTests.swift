import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// `npq reference import`, run as a child process against the test broker and, where a service must answer, the
/// real `npq-cohorts` executable started beside it.
@Suite("npq reference import", .serialized, .timeLimit(.minutes(5)))
struct ReferenceImportTests {
    // MARK: - Running the tool

    /// `npq ARGUMENTS` against the test broker.
    static func npq(_ arguments: [String]) async throws -> ExecutableRun {
        // Replies may take 120 s, not the default 15: under `make test`'s first pass (every suite at once on two
        // cores) a busy service can take longer; the timeout is a hang detector here, not a speed check.
        try await ExecutableRun(
            "npq", arguments.contains("--help") ? arguments : arguments + ["--timeout", "120"],
            environment: ["NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL")])
    }

    /// `npq reference import cohorts DIRECTORY ARGUMENTS`.
    static func importCohorts(_ directory: URL, _ arguments: [String] = []) async throws -> ExecutableRun {
        try await npq(["reference", "import", "cohorts", directory.path] + arguments)
    }

    /// The table's rows: each line's first three columns (kind, entry as its words, result), for lines that have one.
    static func rows(_ run: ExecutableRun) -> [[String]] {
        run.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            .filter { ["cohort", "schedule", "offering"].contains($0.first ?? "") }
    }

    /// The `--json` report, decoded loosely.
    static func report(_ run: ExecutableRun) throws -> [String: Any] {
        let line = try #require(run.lines.last, "no output; stderr: \(run.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    // MARK: - Help

    @Test("`npq reference import --help` lists the kinds and the service each goes to")
    func helpListsKinds() async throws {
        let run = try await Self.npq(["reference", "import", "--help"])
        #expect(run.status == 0)
        for text in [
            "cohorts", "→ npq-cohorts", "eligibility", "→ npq-eligibility", "schools", "docs/reference-data.md",
        ] {
            #expect(run.output.contains(text), "\(text)")
        }
        let kinds = try await Self.npq(["reference", "--help"])
        #expect(kinds.output.contains("import"))
    }

    // MARK: - Checked before anything is sent

    @Test("Files that break a rule are refused naming file, entry, field and rule, and nothing is sent")
    func invalidFilesRefused() async throws {
        let folder = try ReferenceFolder()
        defer { folder.remove() }
        try folder.edit("cohorts.json", "cohorts") { cohorts in
            cohorts[cohorts.count - 1]["registrationCloses"] = "2027-01-10"
        }
        try folder.edit("offerings.json", "offerings") { offerings in
            offerings.append(["cohort": "2026b", "course": "npq-unheard-of", "leadProvider": "teach-first"])
        }
        // No service runs: had anything been sent, the broker would have refused it as unroutable.
        let run = try await Self.importCohorts(folder.url)
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(run.error.contains("the cohort reference data has"), "\(run.error)")
        #expect(run.error.contains("cohorts.json, entry 7 (2026b), registrationCloses"), "\(run.error)")
        #expect(run.error.contains("window_in_start_year") || run.error.contains("outside 2026"), "\(run.error)")
        #expect(run.error.contains("offerings.json, entry"), "\(run.error)")
        #expect(run.error.contains("course: there is no course npq-unheard-of"), "\(run.error)")

        let missing = try await Self.importCohorts(folder.url.appendingPathComponent("nowhere"))
        #expect(missing.status == 1)
        #expect(missing.error.contains("is not a folder"))
    }

    @Test("A dry run checks the files and prints what they hold, without a broker")
    func dryRun() async throws {
        let folder = try ReferenceFolder()
        defer { folder.remove() }
        let run = try await ExecutableRun(
            "npq", ["reference", "import", "cohorts", folder.url.path, "--dry-run"],
            environment: ["NPQ_AMQP_URL": "amqp://nobody:nothing@127.0.0.1:1/"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains(": 7 cohorts, 42 schedules and "), "\(run.output)")
        #expect(run.output.hasSuffix("follow every rule; nothing sent.\n"))

        let json = try await ExecutableRun(
            "npq", ["reference", "import", "cohorts", folder.url.path, "--dry-run", "--json"],
            environment: ["NPQ_AMQP_URL": "amqp://nobody:nothing@127.0.0.1:1/"])
        let report = try Self.report(json)
        #expect(report["valid"] as? Bool == true)
        #expect(report["cohorts"] as? Int == 7)
        #expect((report["notSent"] as? [String: Int])?["courses.json"] == 12)
    }

    // MARK: - Against npq-cohorts

    @Test("An import creates and changes what differs, leaves the rest, and a second run changes nothing")
    func createsChangesAndLeaves() async throws {
        try await CohortsProcess.with { service in
            let folder = try ReferenceFolder()
            defer { folder.remove() }
            let unchanged = try await Self.importCohorts(folder.url)
            #expect(unchanged.status == 0, "\(unchanged.error)")
            #expect(
                unchanged.output.hasPrefix("Nothing to change: npq-cohorts already holds all "), "\(unchanged.output)")

            try folder.edit("cohorts.json", "cohorts") { cohorts in
                cohorts[cohorts.count - 1]["registrationCloses"] = "2026-10-16"
                cohorts.append([
                    "cohort": "2027a", "fundingMode": "capped", "registrationOpens": "2027-05-04",
                    "registrationCloses": "2027-10-08", "startDate": "2027-11-15", "description": "autumn 2027",
                ])
            }
            try folder.edit("schedules.json", "schedules") { schedules in
                schedules.append(Self.leadershipSchedule(cohort: "2027a", started: "2027-11-15"))
            }
            try folder.edit("offerings.json", "offerings") { offerings in
                offerings.append(["cohort": "2027a", "course": "npq-headship", "leadProvider": "teach-first"])
                let senco = try #require(
                    offerings.firstIndex {
                        $0["cohort"] as? String == "2026b" && $0["course"] as? String == "npq-senco"
                            && $0["leadProvider"] as? String == "teach-first"
                    })
                offerings[senco]["recruitmentTarget"] = 450
            }
            let run = try await Self.importCohorts(folder.url)
            #expect(run.status == 0, "\(run.error)")
            let rows = Self.rows(run)
            #expect(
                rows.contains(["cohort", "2026b", "changed", "registrationCloses", "2026-10-09", "→", "2026-10-16"]))
            #expect(rows.contains(["cohort", "2027a", "created"]))
            #expect(rows.contains(["schedule", "2027a", "npq-leadership-autumn", "created"]))
            #expect(rows.contains(["offering", "2027a", "npq-headship", "teach-first", "created"]))
            #expect(
                rows.contains([
                    "offering", "2026b", "npq-senco", "teach-first", "changed", "recruitmentTarget", "(none)", "→",
                    "450",
                ]))
            #expect(rows.count == 5, "\(run.output)")
            #expect(run.output.contains(" entries: 3 created, 2 changed, "), "\(run.output)")
            #expect(run.output.contains("Checked but not sent: courses.json (12), lead-providers.json (10)"))

            // npq-cohorts holds it, as `npq cohort list` shows.
            let listed = try await Self.npq(["cohort", "list", "--json"])
            let result = try ContractDecoder.decode(CohortListResult.self, from: Data(listed.output.utf8))
            let cohort2027 = try #require(result.cohorts.first { $0.cohort.cohort == "2027a" })
            #expect(cohort2027.schedules.map(\.schedule) == ["npq-leadership-autumn"])
            #expect(cohort2027.offerings.map(\.course) == ["npq-headship"])
            #expect(
                result.cohorts.first { $0.cohort.cohort == "2026b" }?.offerings.first {
                    $0.course == "npq-senco" && $0.leadProvider == "teach-first"
                }?.recruitmentTarget == 450)
            #expect(await eventually { await service.commanded(CohortDefined.self) == 2 })

            // Again: nothing is sent, so nothing is published.
            let again = try await Self.importCohorts(folder.url, ["--json"])
            #expect(again.status == 0, "\(again.error)")
            let report = try Self.report(again)
            #expect((report["counts"] as? [String: Int]) == ["unchanged": (report["entries"] as? [Any])?.count ?? -1])
            #expect(await service.commanded(CohortDefined.self) == 2)
        }
    }

    @Test("A refusal is reported with npq-cohorts' field and rule, and the exit status is 3; the rest is applied")
    func refusalReported() async throws {
        try await CohortsProcess.with { _ in
            let folder = try ReferenceFolder()
            defer { folder.remove() }
            // A course the tool's files know but npq-cohorts' own files do not: its offering passes here, and is
            // refused there.
            try folder.edit("courses.json", "courses") { courses in
                var course = courses[0]
                course["identifier"] = "npq-new-course"
                course["sameCourseAs"] = nil
                courses.append(course)
            }
            try folder.edit("offerings.json", "offerings") { offerings in
                offerings.append(["cohort": "2026b", "course": "npq-new-course", "leadProvider": "teach-first"])
                offerings.append([
                    "cohort": "2026b", "course": "npq-headship", "leadProvider": "teach-first", "offered": false,
                ])
                offerings.removeAll {
                    $0["cohort"] as? String == "2026b" && $0["course"] as? String == "npq-headship"
                        && $0["leadProvider"] as? String == "teach-first" && $0["offered"] == nil
                }
            }
            let run = try await Self.importCohorts(folder.url, ["--json"])
            #expect(run.status == 3, "\(run.error)")
            let report = try Self.report(run)
            let entries = try #require(report["entries"] as? [[String: Any]])
            let refused = try #require(entries.first { $0["result"] as? String == "refused" })
            #expect(refused["entry"] as? String == "2026b npq-new-course teach-first")
            let refusal = try #require(refused["refusal"] as? [String: Any])
            #expect(refusal["reason"] as? String == "rule_violation")
            let fieldErrors = try #require(refusal["fieldErrors"] as? [[String: String]])
            #expect(fieldErrors.first?["field"] == "course")
            #expect(fieldErrors.first?["rule"] == "known_course")
            #expect(fieldErrors.first?["message"] == "there is no course npq-new-course")
            let withdrawn = try #require(entries.first { $0["entry"] as? String == "2026b npq-headship teach-first" })
            #expect(withdrawn["result"] as? String == "changed")

            // The table says the same; a second run refuses it again, promptly, though its message id was handled.
            let start = ContinuousClock.now
            let table = try await Self.importCohorts(folder.url)
            #expect(table.status == 3)
            #expect(ContinuousClock.now - start < .seconds(12))
            #expect(
                Self.rows(table).first == [
                    "offering", "2026b", "npq-new-course", "teach-first", "refused", "course:", "there", "is", "no",
                    "course", "npq-new-course", "[known_course]",
                ])
        }
    }

    @Test("A change imported, undone and imported again is applied each time, though its message id recurs")
    func undoneAndRedone() async throws {
        try await CohortsProcess.with { service in
            let original = try ReferenceFolder()
            let changed = try ReferenceFolder()
            defer {
                original.remove()
                changed.remove()
            }
            try changed.edit("cohorts.json", "cohorts") { cohorts in
                cohorts[cohorts.count - 1]["description"] = "autumn 2026, dates confirmed"
            }
            for (folder, description) in [
                (changed, "autumn 2026, dates confirmed"), (original, nil), (changed, "autumn 2026, dates confirmed"),
            ] {
                let run = try await Self.importCohorts(folder.url)
                #expect(run.status == 0, "\(run.error)")
                #expect(Self.rows(run).first?.prefix(3) == ["cohort", "2026b", "changed"], "\(run.output)")
                let listed = try await Self.npq(["cohort", "list", "--json"])
                let result = try ContractDecoder.decode(CohortListResult.self, from: Data(listed.output.utf8))
                let held = result.cohorts.first { $0.cohort.cohort == "2026b" }?.cohort.description
                if let description {
                    #expect(held == description)
                } else {
                    #expect(held?.hasPrefix("autumn 2026;") == true)
                }
            }
            #expect(await eventually { await service.commanded(CohortDefined.self) == 3 })
        }
    }

    @Test("A cohort whose opening moves past its schedules' start is applied after the files' schedules for it")
    func cohortAfterItsSchedules() async throws {
        try await CohortsProcess.with { _ in
            let folder = try ReferenceFolder()
            defer { folder.remove() }
            try folder.edit("cohorts.json", "cohorts") { cohorts in
                cohorts.append([
                    "cohort": "2027a", "fundingMode": "capped", "registrationOpens": "2027-05-04",
                    "registrationCloses": "2027-10-08", "startDate": "2027-11-15",
                ])
            }
            try folder.edit("schedules.json", "schedules") { schedules in
                schedules.append(Self.leadershipSchedule(cohort: "2027a", started: "2027-11-15"))
            }
            #expect(try await Self.importCohorts(folder.url).status == 0)

            // Registration now opens after the schedule's old start: npq-cohorts refuses the cohort until the
            // schedule has moved, which the tool sends after the cohorts.
            try folder.edit("cohorts.json", "cohorts") { cohorts in
                cohorts[cohorts.count - 1]["registrationOpens"] = "2027-11-20"
                cohorts[cohorts.count - 1]["registrationCloses"] = "2027-12-10"
                cohorts[cohorts.count - 1]["startDate"] = "2027-12-13"
            }
            try folder.edit("schedules.json", "schedules") { schedules in
                schedules[schedules.count - 1] = Self.leadershipSchedule(cohort: "2027a", started: "2027-12-13")
            }
            let run = try await Self.importCohorts(folder.url)
            #expect(run.status == 0, "\(run.output)\(run.error)")
            let rows = Self.rows(run)
            #expect(rows.first?.prefix(3) == ["cohort", "2027a", "changed"])
            #expect(rows.last?.prefix(4) == ["schedule", "2027a", "npq-leadership-autumn", "changed"])
        }
    }

    @Test("Without npq-cohorts the tool says no service is listening, and exits 1")
    func serviceNotRunning() async throws {
        let folder = try ReferenceFolder()
        defer { folder.remove() }
        try await ServiceTestLock.run {
            let connection = try await TestBroker.connect(name: "reference import tests")
            await TestBroker.deleteServiceQueues("cohorts", connection: connection)
            await connection.close()
            let run = try await Self.importCohorts(folder.url)
            #expect(run.status == 1)
            #expect(run.output.isEmpty)
            #expect(run.error.contains("no service is listening for this message"), "\(run.error)")
        }
    }

    // MARK: - Eligibility lists

    @Test("`reference import eligibility` is `eligibility list import`: the same check, output and refusals")
    func eligibilityDelegates() async throws {
        let list = ExecutableRun.repository.appendingPathComponent("reference/eligibility/pp50-schools.csv").path
        let viaReference = try await Self.npq(["reference", "import", "eligibility", "pp50_schools", list, "--dry-run"])
        let viaList = try await Self.npq(["eligibility", "list", "import", "pp50_schools", list, "--dry-run"])
        #expect(viaReference.status == 0, "\(viaReference.error)")
        #expect(viaReference.output == viaList.output)
        #expect(viaReference.output == "pp50_schools: 6 identifiers in 6 rows of pp50-schools.csv; nothing sent\n")

        let unknown = try await Self.npq(["reference", "import", "eligibility", "pp51_schools", list])
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("no list \"pp51_schools\"; use one of pp50_schools"), "\(unknown.error)")

        let help = try await Self.npq(["reference", "import", "eligibility", "--help"])
        #expect(help.output.contains("npq reference import eligibility pp50_schools"))
        #expect(help.output.contains("\"PP50 School URN\""))
    }

    // MARK: - Fixtures

    /// A leadership schedule of `cohort` starting on `started` (a date in its start year), the rest spread after.
    static func leadershipSchedule(cohort: String, started: String) -> [String: Any] {
        let year = Int(started.prefix(4))!
        return [
            "cohort": cohort, "schedule": "npq-leadership-autumn", "courseGroup": "leadership",
            "milestones": [
                ["declarationType": "started", "date": started],
                ["declarationType": "retained-1", "date": "\(year + 1)-05-15"],
                ["declarationType": "retained-2", "date": "\(year + 2)-01-15"],
                ["declarationType": "completed", "date": "\(year + 2)-07-15"],
            ],
        ]
    }
}

extension ReferenceImportTests {
    /// A copy of the repository's cohort reference files in a temporary folder, for a test to edit.
    struct ReferenceFolder {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("npq-reference-\(UUID())")
            try FileManager.default.copyItem(
                at: ExecutableRun.repository.appendingPathComponent("reference/cohorts"), to: url)
        }

        /// Rewrites the array `list` of the JSON object in `file` with `change`.
        func edit(_ file: String, _ list: String, _ change: (inout [[String: Any]]) throws -> Void) throws {
            let path = url.appendingPathComponent(file)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
            var entries = try #require(object[list] as? [[String: Any]])
            try change(&entries)
            object[list] = entries
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: path)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// The real `npq-cohorts` executable, started as a child process on the test broker with the repository's cohort
    /// reference files and a fresh database, and a tap on the cohorts' events.
    ///
    /// Like every service test, it holds ``ServiceTestLock``: services under test share the suite's queues. Unchecked
    /// Sendable: the `Process` is only used from the test's own task.
    final class CohortsProcess: @unchecked Sendable {
        let connection: AMQPConnection
        let tap: EventTap
        private let directory: URL
        private let process: Process

        /// Runs `body` with the service started and consuming; stops it and deletes its queues and files afterwards.
        static func with(_ body: (CohortsProcess) async throws -> Void) async throws {
            try await ServiceTestLock.run {
                let service = try await CohortsProcess()
                do {
                    try await body(service)
                } catch {
                    await service.stop()
                    throw error
                }
                await service.stop()
            }
        }

        private init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-cohorts-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            connection = try await TestBroker.connect(name: "reference import tests")
            // Queues of an earlier test would hold its leftovers.
            await TestBroker.deleteServiceQueues("cohorts", connection: connection)
            tap = try await EventTap(
                connection: connection,
                bindings: [
                    (Topology.eventsExchange, CohortDefined.routingKey),
                    (Topology.eventsExchange, ScheduleDefined.routingKey),
                    (Topology.eventsExchange, CohortOfferingUpdated.routingKey),
                ])
            process = Process()
            process.executableURL = ExecutableRun.buildDirectory.appendingPathComponent("npq-cohorts")
            process.currentDirectoryURL = ExecutableRun.repository
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
            environment["NPQ_AMQP_URL"] = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            environment["NPQ_DATA_DIR"] = directory.appendingPathComponent("data").path
            environment["NPQ_HTTP_PORT"] = "0"
            environment["NPQ_LOG_FORMAT"] = "json"
            environment["NPQ_COHORTS_REFERENCE_DIR"] =
                ExecutableRun.repository.appendingPathComponent("reference/cohorts").path
            process.environment = environment
            let log = directory.appendingPathComponent("cohorts.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = process.standardOutput
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let connection = self.connection
            guard await TestBroker.waitUntilConsuming("cohorts", connection: connection) else {
                await stop()
                throw NotStarted(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
            }
        }

        /// How many `cohort.defined` the service has published because of a command; those of its own reference
        /// files at start say `reference-file`.
        func commanded(_ contract: CohortDefined.Type) async -> Int {
            await tap.payloads(contract).filter { $0.definedBy != "reference-file" }.count
        }

        /// Stops the service with SIGTERM and deletes its queues and files.
        func stop() async {
            if process.isRunning { process.terminate() }
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            tap.stop()
            await TestBroker.deleteServiceQueues("cohorts", connection: connection)
            await connection.close()
            try? FileManager.default.removeItem(at: directory)
        }

        struct NotStarted: Error, CustomStringConvertible {
            let log: String
            var description: String { "npq-cohorts did not start consuming within 60 s; its log:\n\(log)" }
        }
    }
}
