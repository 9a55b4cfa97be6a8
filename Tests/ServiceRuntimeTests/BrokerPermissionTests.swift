import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Synchronization
import Testing

@testable import ServiceRuntime

/// The broker definitions the deployment ships (deploy/rabbitmq/roles.json through scripts/definitions.py), loaded
/// into the test broker with test passwords and tried with real logins: each role can do what the permission table
/// of deploy/README.md says, and the broker refuses the rest.
///
/// The definitions go into a virtual host and user names of their own (`--vhost`, `--user-prefix`): the other suites
/// use the broker's admin user on `/`, and some create users such as `npq-lp-teach-first` with passwords of their
/// own, so nothing here may touch those.
@Suite("Broker permissions (the shipped definitions on the real broker)", .serialized)
struct BrokerPermissionTests {
    static let provider = "npq-lp-teach-first"
    static let otherProvider = "npq-lp-ambition-institute"

    // MARK: Lead providers

    @Test("a lead provider may accept an application, but not submit one")
    func providerAcceptsButDoesNotSubmit() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        try await broker.withClient(Self.provider) { try await $0.send(ApplicationAccept.example) }

        let refused = await broker.refusal(as: Self.provider) { try await $0.send(ApplicationSubmit.example) }
        #expect(refused?.replyCode == 403, "\(String(describing: refused))")
        #expect(refused?.replyText?.contains("ACCESS_REFUSED - access to topic 'application.submit.v1'") == true)
    }

    @Test("a lead provider can publish no event, and nothing through the default exchange into a service's queue")
    func providerPublishesNoEventAndNothingToQueues() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let user = broker.user(Self.provider)
        let event = await broker.refusal(as: Self.provider) { client in
            var message = OutgoingMessage(
                ApplicationAccepted.example,
                envelope: Envelope.new(for: ApplicationAccepted.self, source: client.source, appID: client.appID)
            ).amqpMessage
            message.properties.userID = user
            try await client.connection.publish(message)
        }
        #expect(event?.replyCode == 403, "\(String(describing: event))")
        #expect(event?.replyText?.contains("access to exchange 'npq.events'") == true)

        // A copy in a service's queue that came through the default exchange is trusted to carry its original
        // publisher in x-npq-original-user-id: exactly what an integrator must not be able to write.
        let forged = await broker.refusal(as: Self.provider) { client in
            var message = OutgoingMessage(
                ApplicationAccept.example,
                envelope: Envelope.new(for: ApplicationAccept.self, source: client.source, appID: client.appID)
            ).amqpMessage
            message.exchange = ""
            message.routingKey = "npq.applications"
            message.properties.userID = user
            message.properties.headers["x-npq-original-user-id"] = .string(broker.user(Self.otherProvider))
            try await client.connection.publish(message)
        }
        #expect(forged?.replyCode == 403, "\(String(describing: forged))")
        #expect(forged?.replyText?.contains("access to exchange 'amq.default'") == true)
    }

    @Test("a lead provider cannot set another user's user_id")
    func providerCannotForgeUserID() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let forged = await broker.refusal(as: Self.provider, claiming: broker.user(Self.otherProvider)) {
            try await $0.send(ApplicationAccept.example)
        }
        #expect(forged?.replyCode == 406, "\(String(describing: forged))")
        #expect(forged?.replyText?.contains("PRECONDITION_FAILED - user_id property set to") == true)
    }

    @Test("a lead provider cannot read a service's queue or events about other providers' applications")
    func providerReadsOnlyWhatIsPublic() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let queue = broker.user(Self.provider) + ".events"
        let serviceQueue = await broker.refusal(as: Self.provider) {
            _ = try await $0.connection.consume(queue: "npq.applications", prefetch: 1)
        }
        #expect(serviceQueue?.replyCode == 403, "\(String(describing: serviceQueue))")
        #expect(serviceQueue?.replyText?.contains("access to queue 'npq.applications'") == true)

        for key in [ApplicationSubmitted.routingKey, "#", "application.*"] {
            let binding = await broker.refusal(as: Self.provider) {
                try await $0.connection.declare(
                    AMQPTopology(bindings: [.init(queue: queue, exchange: Topology.eventsExchange, routingKey: key)]))
            }
            #expect(binding?.replyCode == 403, "binding \(key): \(String(describing: binding))")
        }
        let commands = await broker.refusal(as: Self.provider) {
            try await $0.connection.declare(
                AMQPTopology(
                    bindings: [
                        .init(
                            queue: queue, exchange: Topology.commandsExchange, routingKey: ApplicationAccept.routingKey)
                    ]))
        }
        #expect(commands?.replyCode == 403, "\(String(describing: commands))")

        // Its own queue, bound to a public event, it may read.
        try await broker.withClient(Self.provider) { client in
            try await client.connection.declare(
                AMQPTopology(
                    bindings: [
                        .init(
                            queue: queue, exchange: Topology.eventsExchange,
                            routingKey: CohortRegistrationOpened.routingKey)
                    ]))
            _ = try await client.connection.consume(queue: queue, prefetch: 1)
        }
    }

    @Test("an integrator can declare no exchange and no named queue, so nothing routes around its topic permissions")
    func integratorDeclaresNoExchange() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let user = broker.user(Self.provider)
        let exchange = await broker.refusal(as: Self.provider) {
            try await $0.connection.declare(AMQPTopology(exchanges: [.init("\(user).relay", kind: .fanout)]))
        }
        #expect(exchange?.replyCode == 403, "\(String(describing: exchange))")
        let queue = await broker.refusal(as: Self.provider) {
            try await $0.connection.declare(AMQPTopology(queues: [.init("\(user).another")]))
        }
        #expect(queue?.replyCode == 403, "\(String(describing: queue))")
    }

    // MARK: The registration front end

    @Test("the registration front end may submit an application, but not accept one")
    func frontEndSubmitsButDoesNotAccept() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        try await broker.withClient("npq-registration") { try await $0.send(ApplicationSubmit.example) }
        let refused = await broker.refusal(as: "npq-registration") { try await $0.send(ApplicationAccept.example) }
        #expect(refused?.replyCode == 403, "\(String(describing: refused))")
        #expect(refused?.replyText?.contains("access to topic 'application.accept.v1'") == true)
    }

    // MARK: Services

    @Test("a service's user declares and consumes its own queues, but cannot declare or read another service's")
    func serviceOwnsItsQueues() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let own = ServiceTopology(
            service: "applications",
            bindings: [
                .consuming(ApplicationSubmit.self), .consuming(ApplicationAccept.self),
                .consuming(EligibilityAssessed.self), .consuming(CohortDefined.self),
            ])
        try await broker.withClient("npq-applications") { client in
            try await client.connection.declare(own.amqpTopology)
            _ = try await client.connection.consume(queue: own.queue, prefetch: 1)
            var event = OutgoingMessage(
                ApplicationAccepted.example,
                envelope: Envelope.new(for: ApplicationAccepted.self, source: own.source, appID: "applications"))
            event.mandatory = false
            try await client.connection.publish(event.amqpMessage)
        }

        let other = ServiceTopology(service: "cohorts", bindings: [.consuming(CohortDefine.self)])
        let declare = await broker.refusal(as: "npq-applications") {
            try await $0.connection.declare(other.amqpTopology)
        }
        #expect(declare?.replyCode == 403, "\(String(describing: declare))")
        #expect(declare?.replyText?.contains("access to queue 'npq.cohorts") == true)
        let consume = await broker.refusal(as: "npq-applications") {
            _ = try await $0.connection.consume(queue: "npq.cohorts", prefetch: 1)
        }
        #expect(consume?.replyCode == 403, "\(String(describing: consume))")
        let event = await broker.refusal(as: "npq-applications") { client in
            var message = OutgoingMessage(
                SENCOStatusChanged.example,
                envelope: Envelope.new(for: SENCOStatusChanged.self, source: own.source, appID: "applications"))
            message.mandatory = false
            try await client.connection.publish(message.amqpMessage)
        }
        #expect(event?.replyCode == 403, "another service's event: \(String(describing: event))")
        #expect(event?.replyText?.contains("access to topic 'senco.status.changed.v1'") == true)
    }

    // MARK: Operators

    @Test(
        "the operator sends operators' commands and queries, reads every event and the parked queues, submits nothing")
    func operatorRole() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let queue = broker.user("npq-operator") + ".events"
        try await broker.withClient("npq-operator") { client in
            try await client.send(EligibilityOverride.example)
            try await client.send(CohortList.example)
            try await client.send(SENCOOverview.example)
            try await client.connection.declare(
                AMQPTopology(bindings: [.init(queue: queue, exchange: Topology.eventsExchange, routingKey: "#")]))
            _ = try await client.connection.purgeQueue("npq.applications.parked")
        }
        let submit = await broker.refusal(as: "npq-operator") { try await $0.send(ApplicationSubmit.example) }
        #expect(submit?.replyCode == 403, "\(String(describing: submit))")
        let serviceQueue = await broker.refusal(as: "npq-operator") {
            _ = try await $0.connection.consume(queue: "npq.applications", prefetch: 1)
        }
        #expect(serviceQueue?.replyCode == 403, "\(String(describing: serviceQueue))")
    }

    // MARK: The suite end to end

    @Test("the five services run under their own users, and every role's request is answered through the broker")
    func servicesRunOnTheirOwnUsers() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        // Start clean: what the other tests left in the queues would be handled too.
        try await broker.withClient("npq-admin") { client in
            for service in SuiteProcess.services {
                for suffix in ["", ".parked", ".retry.1", ".retry.2", ".retry.3"] {
                    _ = try await client.connection.purgeQueue("npq.\(service)\(suffix)")
                }
            }
        }
        let (operatorClient, operatorConnection) = try await broker.connect("npq-operator")
        defer { Task { await operatorConnection.close() } }
        let watched = broker.user("npq-operator") + ".events"
        _ = try await operatorConnection.purgeQueue(watched)
        try await operatorConnection.declare(
            AMQPTopology(bindings: [.init(queue: watched, exchange: Topology.eventsExchange, routingKey: "#")]))
        let events = try await EventLog(connection: operatorConnection, queue: watched)

        let data = FileManager.default.temporaryDirectory.appendingPathComponent("npq-permissions-\(UUID())")
        let processes = try SuiteProcess.services.map { service in
            try SuiteProcess(service: service, broker: broker, dataDirectory: data)
        }
        defer {
            for process in processes { process.stop() }
            try? FileManager.default.removeItem(at: data)
        }
        for process in processes {
            let consuming = await eventually(timeout: .seconds(120)) {
                guard process.isRunning else { return true }
                return ((try? await operatorConnection.inspectQueue("npq.\(process.service)"))?.consumers ?? 0) > 0
            }
            try #require(consuming && process.isRunning, "npq-\(process.service) did not start:\n\(process.logTail)")
        }

        // Each role asks what it may; each answer comes from a service through the default exchange.
        try await broker.withClient("npq-registration") { client in
            _ = try await client.ask(CohortList.example, expecting: CohortListResult.self)
            _ = try await client.ask(InterestRegister.example, expecting: InterestRegistered.self)
            var broken = ApplicationSubmit.example
            broken.applicant.trn = "12"
            await #expect(throws: QueryRejectedError.self) {
                try await client.ask(broken, expecting: ApplicationReceived.self)
            }
        }
        try await broker.withClient(Self.provider) { client in
            _ = try await client.ask(ApplicationList.example, expecting: ApplicationListResult.self)
        }
        try await broker.withClient("npq-school-mis") { client in
            _ = try await client.ask(SchoolContactsRegister.example, expecting: SchoolContactsRegistered.self)
            _ = try await client.ask(SENCOAppointmentRecord.example, expecting: SENCODeadlineTracked.self)
        }
        _ = try await operatorClient.ask(EligibilityListImport.example, expecting: EligibilityListImported.self)
        _ = try await operatorClient.ask(SENCOOverview.example, expecting: SENCOOverviewResult.self)
        _ = try await operatorClient.ask(NotificationLogGet.example, expecting: NotificationLogResult.self)

        // Each service (its app_id) published its events under its own user's topic permissions, and the
        // applications service parked the refused submission through npq.dead-letter.
        let expected: [String: String] = [
            CohortDefined.routingKey: "npq-cohorts", InterestRegistered.routingKey: "npq-applications",
            MessageRejected.routingKey: "npq-applications", SchoolContactsRegistered.routingKey: "npq-notifications",
            SENCODeadlineTracked.routingKey: "npq-senco", EligibilityListImported.routingKey: "npq-eligibility",
        ]
        let published = await eventually(timeout: .seconds(30)) {
            let seen = await events.seen
            return expected.allSatisfy { seen.contains(EventLog.Seen(routingKey: $0.key, appID: $0.value)) }
        }
        let seen = await events.seen
        #expect(published, "missing: \(expected.filter { !seen.contains(.init(routingKey: $0.key, appID: $0.value)) })")
        let parked = await eventually(timeout: .seconds(30)) {
            ((try? await operatorConnection.inspectQueue("npq.applications.parked"))?.messages ?? 0) > 0
        }
        #expect(parked, "the refused submission was not parked")
        for process in processes {
            #expect(
                !process.log.contains("ACCESS_REFUSED"),
                "npq-\(process.service) was refused something:\n\(process.logTail)")
        }
        events.stop()
    }
}

// MARK: - The definitions in the test broker

/// Generates the definitions once per test process, with a random password per user, into a vhost and user names of
/// their own, and imports them into the test broker.
actor DeployedDefinitions {
    static let shared = DeployedDefinitions()
    private var loading: Task<DeployedBroker, any Error>?

    func broker() async throws -> DeployedBroker {
        if let loading { return try await loading.value }
        let task = Task { try await DeployedBroker.load() }
        loading = task
        return try await task.value
    }
}

/// The test broker with the shipped definitions loaded: how to log in as each of its users.
struct DeployedBroker: Sendable {
    let vhost: String
    let prefix: String
    let passwords: [String: String]

    /// The user name the definitions gave `name` (`npq-operator` → `t1a2b3c4d-npq-operator`).
    func user(_ name: String) -> String { prefix + name }

    func configuration(_ name: String) throws -> AMQPConfiguration {
        var configuration = try TestBroker.configuration(name: name)
        configuration.user = user(name)
        guard let password = passwords[user(name)] else { throw MissingUser(name: user(name)) }
        configuration.password = password
        configuration.virtualHost = vhost
        return configuration
    }

    /// The broker URL for `name`, for a service process.
    func url(_ name: String) throws -> String {
        let plain = try TestBroker.variable("NPQ_TEST_AMQP_URL")
        guard var components = URLComponents(string: plain), let password = passwords[user(name)] else {
            throw MissingUser(name: user(name))
        }
        components.user = user(name)
        components.password = password
        components.path = "/" + vhost
        return components.string ?? plain
    }

    /// A client logged in as `name`, sending `user_id` = `claiming` (its own user unless given).
    func connect(_ name: String, claiming: String? = nil) async throws -> (NPQClient, AMQPConnection) {
        let connection = try await AMQPConnection.connect(configuration(name), logger: TestBroker.logger)
        let client = NPQClient(
            connection: connection, source: "urn:npq:test:\(name)", appID: name, userID: claiming ?? user(name))
        return (client, connection)
    }

    /// Runs `body` with a fresh connection as `name`, closing it afterwards.
    func withClient(_ name: String, _ body: (NPQClient) async throws -> Void) async throws {
        let (client, connection) = try await connect(name)
        do {
            try await body(client)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// What the broker answered when `name` tried `body` on a fresh connection: the error, or `nil` (recorded as a
    /// failure) when it was allowed.
    func refusal(
        as name: String, claiming: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (NPQClient) async throws -> Void
    ) async -> AMQPError? {
        do {
            let (client, connection) = try await connect(name, claiming: claiming)
            defer { Task { await connection.close() } }
            try await body(client)
            Issue.record("\(name) was allowed", sourceLocation: sourceLocation)
            return nil
        } catch let error as AMQPError {
            return error
        } catch {
            Issue.record("\(name): \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func load() async throws -> DeployedBroker {
        let id = UUID().uuidString.prefix(8).lowercased()
        let vhost = "npq-permissions-\(id)"
        let prefix = "t\(id)-"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-permissions-\(id)")
        let passwords = directory.appendingPathComponent("passwords")
        let definitions = directory.appendingPathComponent("definitions.json")
        let generator = ["scripts/definitions.py", "--vhost", vhost, "--user-prefix", prefix]
        for arguments in [
            ["passwords", passwords.path],
            ["generate", "--passwords-from", passwords.path, "--output", definitions.path],
        ] {
            let run = try await GeneratorRun(generator + arguments)
            guard run.status == 0 else {
                throw GeneratorFailed(arguments: arguments, status: run.status, error: run.error)
            }
        }
        try await TestBroker.control("ctl", "import_definitions", definitions.path)

        var read: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: passwords.path) {
            let text = try String(contentsOf: passwords.appendingPathComponent(name), encoding: .utf8)
            read[name] = text.trimmingCharacters(in: .newlines)
        }
        try? FileManager.default.removeItem(at: directory)
        let broker = DeployedBroker(vhost: vhost, prefix: prefix, passwords: read)
        // The import is done when the last user can log in and see the service queues it declared.
        let imported = await eventually(timeout: .seconds(30)) {
            guard let (_, connection) = try? await broker.connect("npq-admin") else { return false }
            let found = (try? await connection.inspectQueue("npq.notifications.retry.3")) != nil
            await connection.close()
            return found
        }
        guard imported else { throw GeneratorFailed(arguments: ["import_definitions"], status: 0, error: vhost) }
        return broker
    }

    struct MissingUser: Error, CustomStringConvertible {
        let name: String
        var description: String { "the definitions have no user \(name)" }
    }

    struct GeneratorFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let error: String
        var description: String { "scripts/definitions.py \(arguments.joined(separator: " ")): \(status) \(error)" }
    }
}

/// One run of `scripts/definitions.py` with Python (`NPQ_TEST_PYTHON`, set by the test command, else python3).
struct GeneratorRun {
    let status: Int32
    let error: String

    init(_ arguments: [String]) async throws {
        let python = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
        process.arguments = (python == nil ? ["python3"] : []) + arguments
        process.currentDirectoryURL = ExecutableRun.repository
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("npq-generator-\(UUID())")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()
        status = process.terminationStatus
        error = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }
}

// MARK: - The services as processes

/// One of the suite's service executables (built beside the test runner), run as a child process with its own broker
/// user's URL, and its output in a log file.
final class SuiteProcess: Sendable {
    static let services = ["applications", "eligibility", "cohorts", "senco", "notifications"]

    let service: String
    let logFile: String
    private let pid: pid_t
    private let exited = Mutex(false)

    init(service: String, broker: DeployedBroker, dataDirectory: URL) throws {
        self.service = service
        let data = dataDirectory.appendingPathComponent(service)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        logFile = data.appendingPathComponent("\(service).log").path
        let reference = ExecutableRun.repository.appendingPathComponent("reference").path
        let operatorUser = broker.user("npq-operator")
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
        environment.merge(
            [
                "NPQ_AMQP_URL": try broker.url("npq-\(service)"),
                "NPQ_DATA_DIR": data.path,
                "NPQ_HTTP_PORT": "0",
                "NPQ_LOG_FORMAT": "json",
                "NPQ_LOG_LEVEL": "info",
                "NPQ_COHORTS_REFERENCE_DIR": "\(reference)/cohorts",
                "NPQ_ELIGIBILITY_DIR": "\(reference)/eligibility",
                "NPQ_SCHOOLS_FILE": "\(reference)/eligibility/schools.csv",
                "NPQ_SENCO_REGULATION_FILE": "\(reference)/senco/regulation.json",
                "NPQ_NOTIFICATIONS_TEMPLATES_DIR": "\(reference)/notifications/templates",
                "NPQ_MAIL_DROP_DIR": data.appendingPathComponent("mail").path,
                // The test's user names carry a prefix, so the services are told who the operators and providers are.
                "NPQ_OPERATOR_USERS": operatorUser,
                "NPQ_APPLICATIONS_READERS": operatorUser,
                "NPQ_NOTIFICATIONS_READERS": operatorUser,
                "NPQ_LEAD_PROVIDER_USERS": "\(broker.user(BrokerPermissionTests.provider))=teach-first",
                "NPQ_SCHOOL_USERS": "\(broker.user("npq-school-mis"))=\(SchoolContactsRegister.example.schoolURN)",
            ], uniquingKeysWith: { _, new in new })

        let executable = ExecutableRun.buildDirectory.appendingPathComponent("npq-\(service)").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SpawnFailed(path: executable, status: ENOENT)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard status == 0 else { throw SpawnFailed(path: executable, status: status) }
        self.pid = pid
    }

    /// Whether the process still runs; reaps it once it has exited.
    var isRunning: Bool {
        exited.withLock { exited in
            guard !exited else { return false }
            var status: Int32 = 0
            exited = waitpid(pid, &status, WNOHANG) != 0
            return !exited
        }
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    var logTail: String { log.split(separator: "\n").suffix(15).joined(separator: "\n") }

    /// SIGTERM, and SIGKILL if it has not exited within 15 seconds.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<300 {
            guard isRunning else { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        exited.withLock { exited in
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exited = true
        }
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        let path: String
        let status: Int32
        var description: String { "could not start \(path): \(String(cString: strerror(status)))" }
    }
}

/// Which events, from which service (`app_id`), arrived in one queue.
final class EventLog: Sendable {
    struct Seen: Hashable, Sendable {
        let routingKey: String
        let appID: String?
    }

    private actor Store {
        var seen: Set<Seen> = []
        func add(_ item: Seen) { seen.insert(item) }
    }

    private let store = Store()
    private let task: Task<Void, Never>

    init(connection: AMQPConnection, queue: String) async throws {
        let consumer = try await connection.consume(queue: queue, prefetch: 500)
        let store = self.store
        task = Task {
            do {
                for try await delivery in consumer {
                    await store.add(Seen(routingKey: delivery.routingKey, appID: delivery.properties.appID))
                    try? await delivery.ack()
                }
            } catch {}
        }
    }

    var seen: Set<Seen> { get async { await store.seen } }

    func stop() { task.cancel() }
}
