import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// `npq publish`, run as a child process against the test broker and, where a service must answer, the real
/// `npq-applications` executable started beside it.
@Suite("npq publish", .serialized, .timeLimit(.minutes(5)))
struct PublishCommandTests {
    // MARK: - Running the tool

    /// `npq publish ARGUMENTS` with `input` on standard input, against the test broker.
    static func publish(_ arguments: [String], input: String = "") async throws -> ExecutableRun {
        // `--wait` waits 120 s for the reply unless a test sets `--timeout`: under `make test`'s first pass (every
        // suite at once on two cores) the default 15 s can pass before a busy service answers.
        let waitsLong = arguments.contains("--wait") && !arguments.contains("--timeout")
        return try await ExecutableRun(
            "npq", ["publish"] + arguments + (waitsLong ? ["--timeout", "120"] : []), input: input,
            environment: ["NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL")])
    }

    /// The broker user the tool logs in as.
    static var brokerUser: String { get throws { try TestBroker.configuration().user } }

    /// An `application.submit` body for npq-headship with Teach First at an open school, as JSON text.
    static func submission(email: String, cohort: String) -> String {
        #"{"applicant": {"fullName": "Alex Morgan", "email": "\#(email)", "trn": "1234567"}, "course": "npq-headship", "leadProvider": "teach-first", "cohort": "\#(cohort)", "workplace": {"worksIn": "england", "workSetting": "a_school", "institution": {"urn": "100103"}}}"#
    }

    /// An email address no other test uses, to find this test's messages among everyone's.
    static func uniqueEmail(_ label: String) -> String {
        "\(label).\(UUID().uuidString.prefix(8).lowercased())@example.org"
    }

    /// The one-line JSON the tool printed with `--json`.
    static func json(_ run: ExecutableRun) throws -> [String: Any] {
        let line = try #require(run.lines.last, "no output; stderr: \(run.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    // MARK: - Refused before anything is sent

    @Test("An unknown type is refused with the closest names and how to list them all")
    func unknownType() async throws {
        let typo = try await Self.publish(["application.submited", "--file", "-"], input: "{}")
        #expect(typo.status == 64)
        #expect(typo.output.isEmpty)
        #expect(
            typo.error.contains("there is no message type 'application.submited'. Did you mean application.submit?"))
        #expect(typo.error.contains("`npq publish --list` shows every command and query"))

        let version = try await Self.publish(["npq.application.submit.v9", "--file", "-"], input: "{}")
        #expect(version.status == 64)
        #expect(version.error.contains("application.submit has no version 9 (it has v1)"))

        let list = try await Self.publish(["--list"])
        #expect(list.status == 0)
        let rows = list.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(3) == ["TYPE", "VERSION", "KIND"])
        #expect(rows.contains { $0.prefix(3) == ["application.submit", "v1", "command"] })
        #expect(rows.contains { $0.prefix(3) == ["cohort.list", "v1", "query"] })
        #expect(!rows.contains { $0.first == "application.received" || $0.first == "message.rejected" })
    }

    @Test("An event or a reply is refused: only the service that owns it sends it")
    func eventsAndRepliesRefused() async throws {
        let body = Self.submission(email: Self.uniqueEmail("event"), cohort: "2026b")
        for name in ["application.received", "npq.message.rejected.v1"] {
            let run = try await Self.publish([name, "--file", "-", "--wait"], input: body)
            #expect(run.status == 64, "\(name)")
            #expect(run.output.isEmpty)
            #expect(run.error.contains("is an event: events state what a service has done"), "\(name)")
            #expect(run.error.contains("only the service that owns them publishes them"))
        }
        let reply = try await Self.publish(["cohort.list.result", "--file", "-"], input: "{}")
        #expect(reply.status == 64)
        #expect(reply.error.contains("npq.cohort.list.result.v1 is a reply: a service sends it to the reply_to"))
    }

    @Test("A body that breaks the contract is refused naming each field and rule, and nothing is published")
    func invalidBody() async throws {
        try await ApplicationsProcess.with { applications in
            let tap = try await EventTap(
                connection: applications.connection,
                bindings: [(Topology.commandsExchange, ApplicationSubmit.routingKey)])
            defer { tap.stop() }
            let refused = Self.uniqueEmail("refused")
            // A 5-digit TRN, no workplace, a field the contract lacks.
            let invalid =
                #"{"applicant": {"fullName": "Alex Morgan", "email": "\#(refused)", "trn": "12345"}, "course": "npq-headship", "leadProvider": "teach-first", "cohort": "\#(applications.openCohort)", "nickname": "Al"}"#
            let run = try await Self.publish(["application.submit", "--file", "-", "--wait"], input: invalid)
            #expect(run.status == 2)
            #expect(run.output.isEmpty)
            #expect(
                run.error.contains(
                    "the body in standard input is not a valid npq.application.submit.v1 (invalid_fields), so nothing was published. 3 problems:"
                ))
            #expect(run.error.contains("  applicant.trn: trn must be 7 digits [pattern]"))
            #expect(run.error.contains("  workplace: workplace is required [required]"))
            #expect(run.error.contains("  nickname: nickname is not a field of this message"))
            #expect(run.error.contains("[additionalProperties]"))

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID()).json")
            try Data(#"{"applicant": {"email": "\#(refused)""#.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let broken = try await Self.publish(["application.submit", "--file", file.path])
            #expect(broken.status == 2)
            #expect(
                broken.error.contains("the body in \(file.path) is not a valid npq.application.submit.v1 (undecodable)")
            )
            #expect(broken.error.contains("(body): The body is not valid JSON"))
            #expect(broken.error.contains("[syntax]"))

            // The same tap and service see a valid submission published after both, and never the invalid ones.
            let accepted = Self.uniqueEmail("accepted")
            let valid = try await Self.publish(
                ["application.submit", "--file", "-", "--wait"],
                input: Self.submission(email: accepted, cohort: applications.openCohort))
            #expect(valid.status == 0, "\(valid.error)")
            #expect(await eventually { await tap.received.contains { Self.body($0.body, contains: accepted) } })
            #expect(await !tap.received.contains { Self.body($0.body, contains: refused) })
            let list = try await Self.publish(["application.list", "--file", "-", "--json"], input: "{}")
            #expect(list.status == 0, "\(list.error)")
            #expect(list.output.contains(accepted))
            #expect(!list.output.contains(refused))
        }
    }

    static func body(_ body: Data, contains text: String) -> Bool {
        String(decoding: body, as: UTF8.self).contains(text)
    }

    // MARK: - Published, and answered

    @Test("Without --wait a command is published with the standard envelope, confirmed, and its message id printed")
    func publishedWithEnvelope() async throws {
        try await ApplicationsProcess.with { applications in
            let tap = try await EventTap(
                connection: applications.connection,
                bindings: [(Topology.commandsExchange, ApplicationSubmit.routingKey)])
            defer { tap.stop() }
            let body = Self.submission(email: Self.uniqueEmail("envelope"), cohort: applications.openCohort)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID()).json")
            try Data(body.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let id = UUID().uuidString.lowercased()

            let run = try await Self.publish(["application.submit", "-f", file.path, "--message-id", id.uppercased()])
            #expect(run.status == 0, "\(run.error)")
            #expect(run.lines.first == "Published npq.application.submit.v1 as message \(id).")
            #expect(run.output.contains("The broker confirmed it."))
            #expect(run.output.contains("Add --wait to wait for it here."))

            #expect(await eventually { await tap.received.contains { $0.properties.messageID == id } })
            let sent = try #require(await tap.received.first { $0.properties.messageID == id })
            #expect(sent.routingKey == "application.submit.v1")
            #expect(sent.body == Data(body.utf8))
            let properties = sent.properties
            #expect(properties.type == "npq.application.submit.v1")
            #expect(properties.userID == (try Self.brokerUser))
            #expect(properties.correlationID == id)
            #expect(properties.appID == "npq")
            #expect(properties.contentType == "application/json")
            #expect(properties.deliveryMode == .persistent)
            #expect(properties.replyTo == nil)
            #expect(properties.headers[EnvelopeHeader.id]?.stringValue == id)
            #expect(properties.headers[EnvelopeHeader.type]?.stringValue == "npq.application.submit.v1")
            #expect(properties.headers[EnvelopeHeader.source]?.stringValue == "urn:npq:tool:npq")
            #expect(properties.headers[EnvelopeHeader.specVersion]?.stringValue == "1.0")

            let scripted = try await Self.publish(
                ["application.submit", "--file", "-", "--json"],
                input: Self.submission(email: Self.uniqueEmail("json"), cohort: applications.openCohort))
            #expect(scripted.status == 0)
            let printed = try Self.json(scripted)
            #expect(printed["type"] as? String == "npq.application.submit.v1")
            let printedID = try #require(printed["messageID"] as? String)
            #expect(UUID(uuidString: printedID) != nil)
            #expect(await eventually { await tap.received.contains { $0.properties.messageID == printedID } })
        }
    }

    @Test("A command the service answers prints its reply; a query prints its reply, as text or as JSON")
    func repliesPrinted() async throws {
        try await ApplicationsProcess.with { applications in
            let email = Self.uniqueEmail("reply")
            let submit = try await Self.publish(
                ["application.submit", "--file", "-", "--wait"],
                input: Self.submission(email: email, cohort: applications.openCohort))
            #expect(submit.status == 0, "\(submit.error)")
            #expect(submit.lines.first?.hasPrefix("Published npq.application.submit.v1 as message ") == true)
            #expect(submit.lines.dropFirst().first == "Reply npq.application.received.v1 from applications:")
            let reply = submit.lines.dropFirst(2).joined(separator: "\n")
            let received = try ContractDecoder.decode(ApplicationReceived.self, from: Data(reply.utf8))
            #expect(received.applicant.email == email)
            #expect(received.cohort == applications.openCohort)
            #expect(received.course == "npq-headship")
            #expect(reply.contains("\n  \"applicant\": {\n    \"email\": "))

            // A query waits for its reply without --wait.
            let id = received.applicationID.uuidString
            let get = try await Self.publish(
                ["application.get", "--file", "-"], input: #"{"applicationID": "\#(id)"}"#)
            #expect(get.status == 0, "\(get.error)")
            #expect(get.lines.dropFirst().first == "Reply npq.application.get.result.v1 from applications:")
            let result = try ContractDecoder.decode(
                ApplicationGetResult.self, from: Data(get.lines.dropFirst(2).joined(separator: "\n").utf8))
            #expect(result.application.applicationID == received.applicationID)
            #expect(result.application.applicant.email == email)
            #expect(result.application.approval == "pending")

            let scripted = try await Self.publish(
                ["npq.application.get.v1", "--file", "-", "--json"], input: #"{"applicationID": "\#(id)"}"#)
            #expect(scripted.status == 0)
            #expect(scripted.lines.count == 1)
            let decoded = try ContractDecoder.decode(ApplicationGetResult.self, from: Data(scripted.output.utf8))
            #expect(decoded == result)
        }
    }

    @Test("A command the service refuses prints the rejection with every field error and exits with status 3")
    func rejectionPrinted() async throws {
        try await ApplicationsProcess.with { applications in
            // 2021a's registration closed on 2021-10-31; Teach First offered npq-headship in it.
            let closed = Self.submission(email: Self.uniqueEmail("closed"), cohort: "2021a")
            let run = try await Self.publish(["application.submit", "--file", "-", "--wait"], input: closed)
            #expect(run.status == 3)
            #expect(run.lines.first?.hasPrefix("Published npq.application.submit.v1 as message ") == true)
            #expect(
                run.lines.dropFirst().first?.hasPrefix("Rejected by applications (invalid_fields): cohort 2021a")
                    == true)
            #expect(run.output.contains("1 field error:"))
            #expect(
                run.lines.contains {
                    $0.hasPrefix("  cohort: cohort 2021a takes applications from 2021-06-01 to 2021-10-31")
                        && $0.hasSuffix("[open_for_registration]")
                })

            // Several field errors at once, as JSON: the message.rejected body, naming the message.
            let id = UUID().uuidString.lowercased()
            let unknown = Self.submission(email: Self.uniqueEmail("unknown"), cohort: "2021a")
                .replacingOccurrences(of: "\"urn\": \"100103\"", with: "\"urn\": \"999999\"")
            let scripted = try await Self.publish(
                ["application.submit", "--file", "-", "--wait", "--json", "--message-id", id], input: unknown)
            #expect(scripted.status == 3)
            let rejection = try ContractDecoder.decode(MessageRejected.self, from: Data(scripted.output.utf8))
            #expect(rejection.originalMessageID == id)
            #expect(rejection.correlationID == id)
            #expect(rejection.service == "applications")
            #expect(rejection.reason == .invalidFields)
            #expect(
                Set(rejection.fieldErrors.map { "\($0.field) \($0.rule)" }) == [
                    "cohort open_for_registration", "workplace.institution.urn known_school",
                ])
        }
    }

    @Test("A command handled without a reply prints the events it caused; a second one is refused")
    func handledWithoutReply() async throws {
        try await ApplicationsProcess.with { applications in
            let submit = try await Self.publish(
                ["application.submit", "--file", "-", "--wait", "--json"],
                input: Self.submission(email: Self.uniqueEmail("reject"), cohort: applications.openCohort))
            #expect(submit.status == 0, "\(submit.error)")
            let received = try ContractDecoder.decode(ApplicationReceived.self, from: Data(submit.output.utf8))
            let body = #"{"applicationID": "\#(received.applicationID.uuidString)", "reason": "Course full"}"#

            // The broker user is Teach First's (NPQ_LEAD_PROVIDER_USERS), so it may reject its application.
            let run = try await Self.publish(["application.reject", "--file", "-", "--wait"], input: body)
            #expect(run.status == 0, "\(run.error)")
            #expect(
                run.lines.dropFirst().first
                    == "Handled by applications, which sent no reply and published 1 event because of it:")
            #expect(run.lines.dropFirst(2).first?.hasPrefix("npq.application.rejected.v1 (message ") == true)
            let event = try ContractDecoder.decode(
                ApplicationRejected.self, from: Data(run.lines.dropFirst(3).joined(separator: "\n").utf8))
            #expect(event.applicationID == received.applicationID)
            #expect(event.reason == "Course full")
            #expect(event.cause.rawValue == "rejected_by_provider")

            let again = try await Self.publish(["application.reject", "--file", "-", "--wait"], input: body)
            #expect(again.status == 3)
            #expect(again.output.contains("Rejected by applications (rule_violation)"))
            #expect(again.output.contains("[already_rejected]"))
        }
    }

    @Test("Nothing back within --timeout exits with status 4; no queue for the type exits with status 1")
    func noAnswer() async throws {
        try await ApplicationsProcess.with { applications in
            try await applications.stopService()
            let body = #"{"applicationID": "\#(UUID().uuidString)", "reason": "Course full"}"#
            let run = try await Self.publish(
                ["application.reject", "--file", "-", "--wait", "--timeout", "2"], input: body)
            #expect(run.status == 4)
            #expect(run.lines.first?.hasPrefix("Published npq.application.reject.v1 as message ") == true)
            #expect(
                run.error.contains(
                    "but nothing came back within 2 s: no reply, no npq.message.rejected.v1 and no event"))
            #expect(run.error.contains("Is the service that handles it running and ready"))

            await TestBroker.deleteServiceQueues("applications", connection: applications.connection)
            let unroutable = try await Self.publish(["application.reject", "--file", "-", "--wait"], input: body)
            #expect(unroutable.status == 1)
            #expect(unroutable.output.isEmpty)
            #expect(unroutable.error.contains("no service is listening for this message"))
            #expect(unroutable.error.contains("312 NO_ROUTE"))
        }
    }

    /// A broker user that may read applications but may not declare queues.
    static let restrictedUser = "npq-publish-reader"

    @Test("A broker user that may not declare queues still gets the reply, through direct reply-to")
    func directReplyToFallback() async throws {
        try await ApplicationsProcess.with { applications in
            let user = Self.restrictedUser
            try? await TestBroker.control("ctl", "add_user", user, "secret-reader")
            // Configure nothing: no queue of its own; write and read everything.
            try await TestBroker.control("ctl", "set_permissions", "-p", "/", user, "^$", ".*", ".*")
            let plain = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            var url = try #require(URLComponents(string: plain))
            url.user = user
            url.password = "secret-reader"
            let run = try await Self.publish(
                ["application.list", "--file", "-", "--amqp-url", try #require(url.string)], input: "{}")
            #expect(run.status == 0, "\(run.error)")
            #expect(run.error.contains("may not declare a queue to wait on"))
            #expect(run.error.contains("waiting through direct reply-to instead"))
            #expect(run.lines.dropFirst().first == "Reply npq.application.list.result.v1 from applications:")
            _ = try ContractDecoder.decode(
                ApplicationListResult.self, from: Data(run.lines.dropFirst(2).joined(separator: "\n").utf8))

            // A refusal comes back the same way.
            let reject = try await Self.publish(
                ["application.reject", "--file", "-", "--wait", "--amqp-url", try #require(url.string)],
                input: #"{"applicationID": "\#(UUID().uuidString)", "reason": "Course full"}"#)
            #expect(reject.status == 3)
            #expect(reject.lines.dropFirst().first?.hasPrefix("Rejected by applications (") == true)
        }
    }
}

extension PublishCommandTests {
    /// The real `npq-applications` executable, started as a child process on the test broker with cohort reference files
    /// in which a cohort of this year is open all year, and the test's broker user as Teach First and as a reader.
    ///
    /// Like every service test, it holds ``ServiceTestLock``: services under test share the suite's queues. Unchecked
    /// Sendable: the `Process` is only used from the test's own task.
    final class ApplicationsProcess: @unchecked Sendable {
        /// Open for registration from 1 January to 31 December of this year.
        let openCohort: String
        let connection: AMQPConnection
        private let directory: URL
        private let process: Process

        /// Runs `body` with the service started and consuming; stops it and deletes its queues and files afterwards.
        static func with(_ body: (ApplicationsProcess) async throws -> Void) async throws {
            try await ServiceTestLock.run {
                let service = try await ApplicationsProcess()
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
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Europe/London")!
            let year = calendar.component(.year, from: Date())
            openCohort = "\(year)z"
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-publish-\(UUID())")
            let reference = directory.appendingPathComponent("cohorts")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: ExecutableRun.repository.appendingPathComponent("reference/cohorts"), to: reference)
            try Self.append(
                to: reference.appendingPathComponent("cohorts.json"), list: "cohorts",
                [
                    "cohort": openCohort, "fundingMode": "capped", "registrationOpens": "\(year)-01-01",
                    "registrationCloses": "\(year)-12-31", "startDate": "\(year)-12-31",
                    "description": "npq publish tests: open all year",
                ])
            try Self.append(
                to: reference.appendingPathComponent("offerings.json"), list: "offerings",
                ["cohort": openCohort, "course": "npq-headship", "leadProvider": "teach-first"])

            // The funding policy must cover the cohort too: the 2026 rules stand for it.
            let eligibility = directory.appendingPathComponent("eligibility")
            try FileManager.default.copyItem(
                at: ExecutableRun.repository.appendingPathComponent("reference/eligibility"), to: eligibility)
            let policyFile = eligibility.appendingPathComponent("policy.json")
            var policy = try JSONSerialization.jsonObject(with: Data(contentsOf: policyFile)) as! [String: Any]
            var versions = policy["versions"] as! [[String: Any]]
            versions[versions.count - 1]["cohorts"] =
                (versions[versions.count - 1]["cohorts"] as! [String]) + [openCohort]
            policy["versions"] = versions
            try JSONSerialization.data(withJSONObject: policy).write(to: policyFile)

            connection = try await TestBroker.connect(name: "npq publish tests")
            let user = try TestBroker.configuration().user
            process = Process()
            process.executableURL = ExecutableRun.buildDirectory.appendingPathComponent("npq-applications")
            process.currentDirectoryURL = ExecutableRun.repository
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
            environment["NPQ_AMQP_URL"] = try TestBroker.variable("NPQ_TEST_AMQP_URL")
            environment["NPQ_DATA_DIR"] = directory.appendingPathComponent("data").path
            environment["NPQ_HTTP_PORT"] = "0"
            environment["NPQ_LOG_FORMAT"] = "json"
            environment["NPQ_COHORTS_REFERENCE_DIR"] = reference.path
            environment["NPQ_ELIGIBILITY_DIR"] = eligibility.path
            environment["NPQ_SCHOOLS_FILE"] =
                ExecutableRun.repository.appendingPathComponent("reference/eligibility/schools.csv").path
            environment["NPQ_APPLICATIONS_READERS"] = "\(user),\(PublishCommandTests.restrictedUser)"
            environment["NPQ_LEAD_PROVIDER_USERS"] = "\(user)=teach-first"
            process.environment = environment
            let log = directory.appendingPathComponent("applications.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = process.standardOutput
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let connection = self.connection
            guard await TestBroker.waitUntilConsuming("applications", connection: connection) else {
                await stop()
                throw NotStarted(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
            }
        }

        /// Appends `entry` to the array `list` of the JSON object in `file`.
        private static func append(to file: URL, list: String, _ entry: [String: String]) throws {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            var entries = try #require(object[list] as? [Any])
            entries.append(entry)
            object[list] = entries
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: file)
        }

        /// Stops the service with SIGTERM, as an operator does, keeping its queues.
        func stopService() async throws {
            guard process.isRunning else { return }
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!process.isRunning, "npq-applications did not stop within 20 s of SIGTERM")
        }

        /// Stops the service and deletes its queues and files, so that later tests' messages do not pile up in them.
        func stop() async {
            try? await stopService()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            await TestBroker.deleteServiceQueues("applications", connection: connection)
            await connection.close()
            try? FileManager.default.removeItem(at: directory)
        }

        struct NotStarted: Error, CustomStringConvertible {
            let log: String
            var description: String { "npq-applications did not start consuming within 60 s; its log:\n\(log)" }
        }
    }
}
