import AMQP
import Foundation
import NPQTestSupport
import Testing

/// The worked example of docs/integrating.md is the file docs/examples/submit_application.py, quoted verbatim, and
/// it works: run with the tests' Python (pika) as the registration front end's broker user of the shipped
/// definitions, against the five real service executables, it gets an application received, its funding decided
/// and the applicant's email into the mail-drop folder.
@Suite("The integrating guide and its worked Python example", .serialized)
struct IntegratingGuideTests {
    static let repository = ExecutableRun.repository
    static let example = repository.appendingPathComponent("docs/examples/submit_application.py")
    static let guide = repository.appendingPathComponent("docs/integrating.md")

    @Test("the guide quotes docs/examples/submit_application.py verbatim, in one python block")
    func guideQuotesTheExample() throws {
        let code = try String(contentsOf: Self.example, encoding: .utf8)
        let blocks = GuideText.fencedBlocks(in: try String(contentsOf: Self.guide, encoding: .utf8), language: "python")
        #expect(
            blocks.contains(code),
            "copy docs/examples/submit_application.py into a ```python block of docs/integrating.md, unchanged")
    }

    @Test(
        "the example, as the registration front end, gets an application received, decided and emailed, over amqp and amqps"
    )
    func exampleRunsEndToEnd() async throws {
        let python = try GuideExampleRun.python()
        try await ServiceTestLock.run {
            // A virtual host of its own: no other test's services consume these queues.
            let broker = try await DeployedBroker.load()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-guide-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let reference = try await ReferenceWithOpenCohort.make(in: directory, python: python)
            let mail = directory.appendingPathComponent("mail")
            let environment = [
                "NPQ_COHORTS_REFERENCE_DIR": reference.cohorts.path,
                "NPQ_ELIGIBILITY_DIR": reference.eligibility.path,
                "NPQ_SCHOOLS_FILE": reference.eligibility.appendingPathComponent("schools.csv").path,
                "NPQ_MAIL_DROP_DIR": mail.path,
            ]
            let processes = try SuiteProcess.services.map {
                try SuiteProcess(
                    service: $0, broker: broker, dataDirectory: directory.appendingPathComponent("data"),
                    environment: environment)
            }
            defer { for process in processes { process.stop() } }
            try await Self.waitUntilConsuming(processes, broker: broker)

            // As a newcomer runs it: plain AMQP, the URL in NPQ_AMQP_URL.
            let plain = try await GuideExampleRun(
                python: python, arguments: [Self.example.path, "--mail-drop", mail.path, "--timeout", "60"],
                environment: ["NPQ_AMQP_URL": try broker.url("npq-registration")])
            let logs = processes.map { "npq-\($0.service):\n\($0.logTail)" }.joined(separator: "\n")
            try #require(plain.status == 0, "status \(plain.status)\n\(plain.output)\n\(plain.error)\n\(logs)")
            #expect(plain.output.contains("connected as \(broker.user("npq-registration"))"), "\(plain.output)")
            #expect(plain.output.contains("confirmed by the broker"), "\(plain.output)")
            #expect(plain.output.contains("reply npq.application.received.v1: application "), "\(plain.output)")
            #expect(plain.output.contains("event application.submitted.v1: funding "), "\(plain.output)")
            #expect(plain.output.contains("email to Alex Morgan <alex.morgan@example.sch.uk>"), "\(plain.output)")

            // The email, found by the test itself: the mail drop holds a message to the applicant quoting the id.
            let applicationID = try #require(
                plain.output.firstMatch(of: /application ([0-9a-f-]{36})/).map { String($0.output.1) },
                "\(plain.output)")
            let emails = try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }
                .map { try String(contentsOf: mail.appendingPathComponent($0), encoding: .utf8) }
            #expect(
                emails.contains {
                    $0.contains("To: Alex Morgan <alex.morgan@example.sch.uk>")
                        && $0.contains("Your application reference: \(applicationID)")
                }, "\(emails.count) email(s) in the mail drop, none to the applicant about \(applicationID)")

            // The guide's TLS settings: amqps:// with the CA file and a client certificate.
            let secure = try await GuideExampleRun(
                python: python, arguments: [Self.example.path, "--mail-drop", mail.path, "--timeout", "60"],
                environment: [
                    "NPQ_AMQP_URL": try broker.url("npq-registration", secure: true),
                    "NPQ_AMQP_CA_FILE": try TestBroker.variable("NPQ_TEST_TLS_CA"),
                    "NPQ_AMQP_CERT_FILE": try TestBroker.variable("NPQ_TEST_TLS_CLIENT_CERT"),
                    "NPQ_AMQP_KEY_FILE": try TestBroker.variable("NPQ_TEST_TLS_CLIENT_KEY"),
                ])
            #expect(secure.status == 0, "status \(secure.status)\n\(secure.output)\n\(secure.error)")
            #expect(secure.output.contains("email to Alex Morgan"), "\(secure.output)")
            for process in processes {
                #expect(process.isRunning, "npq-\(process.service) stopped:\n\(process.logTail)")
            }
        }
    }

    /// Waits until every service consumes its queue (its start-up tasks, reference data included, are done).
    static func waitUntilConsuming(_ processes: [SuiteProcess], broker: DeployedBroker) async throws {
        let (_, connection) = try await broker.connect("npq-operator")
        defer { Task { await connection.close() } }
        for process in processes {
            let consuming = await eventually(timeout: .seconds(120)) {
                guard process.isRunning else { return true }
                return ((try? await connection.inspectQueue("npq.\(process.service)"))?.consumers ?? 0) > 0
            }
            try #require(consuming && process.isRunning, "npq-\(process.service) did not start:\n\(process.logTail)")
        }
    }
}

/// The Markdown of a guide, read the simple way its authors write it.
enum GuideText {
    /// The contents of every fenced code block (```` ```language ````) of `language`, each ending with a newline.
    static func fencedBlocks(in markdown: String, language: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if let lines = current {
                if line == "```" {
                    blocks.append(lines.map { $0 + "\n" }.joined())
                    current = nil
                } else {
                    current = lines + [line]
                }
            } else if line == "```\(language)" {
                current = []
            }
        }
        return blocks
    }
}

/// The development reference data `make run` uses (scripts/dev-reference.py): the repository's, with one cohort
/// more, `<year>z`, open for registration all of this year, so that the example finds an open cohort whatever the day.
struct ReferenceWithOpenCohort {
    let cohorts: URL
    let eligibility: URL

    static func make(in directory: URL, python: String) async throws -> ReferenceWithOpenCohort {
        let target = directory.appendingPathComponent("reference")
        let run = try await GuideExampleRun(
            python: python,
            arguments: [
                ExecutableRun.repository.appendingPathComponent("scripts/dev-reference.py").path, target.path,
            ])
        guard run.status == 0 else { throw GuideExampleRun.Failed(description: "reference data: \(run.error)") }
        return ReferenceWithOpenCohort(
            cohorts: target.appendingPathComponent("cohorts"), eligibility: target.appendingPathComponent("eligibility")
        )
    }
}

/// One run of the tests' Python (`NPQ_TEST_PYTHON`, which has pika) to completion, in the repository, with
/// `environment` added to this process's less its `NPQ_*` variables (so that the test broker's admin URL in
/// `NPQ_AMQP_URL` does not leak into the example).
struct GuideExampleRun {
    let status: Int32
    let output: String
    let error: String

    /// A failure to prepare or run the example.
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// The interpreter from `NPQ_TEST_PYTHON`; the test fails, never skips, without it.
    static func python() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"], !python.isEmpty else {
            throw Failed(
                description: "NPQ_TEST_PYTHON is not set: run the tests with `make test`, or export "
                    + "NPQ_TEST_PYTHON=$(scripts/ensure-python.sh) (a Python with pika)")
        }
        return python
    }

    init(
        python: String, arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(180)
    ) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.currentDirectoryURL = ExecutableRun.repository
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
        variables.merge(environment, uniquingKeysWith: { _, new in new })
        process.environment = variables
        let temporary = FileManager.default.temporaryDirectory
        let files = (0..<2).map { _ in temporary.appendingPathComponent("npq-guide-run-\(UUID().uuidString)") }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        for file in files { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: files[0])
        process.standardError = try FileHandle(forWritingTo: files[1])
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { process.terminate() }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        status = process.terminationStatus
        output = String(decoding: (try? Data(contentsOf: files[0])) ?? Data(), as: UTF8.self)
        error = String(decoding: (try? Data(contentsOf: files[1])) ?? Data(), as: UTF8.self)
    }
}
