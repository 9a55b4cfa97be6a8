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
        "the operator sends operators' commands and queries and reads every event, but submits nothing and touches no service queue"
    )
    func operatorRole() async throws {
        let broker = try await DeployedDefinitions.shared.broker()
        let queue = broker.user("npq-operator") + ".events"
        try await broker.withClient("npq-operator") { client in
            try await client.send(EligibilityOverride.example)
            try await client.send(CohortList.example)
            try await client.send(SENCOOverview.example)
            try await client.connection.declare(
                AMQPTopology(bindings: [.init(queue: queue, exchange: Topology.eventsExchange, routingKey: "#")]))
            try await client.send(ParkedReplay.example)
            try await client.send(ParkedPurge.example)
        }
        // Parked messages are the services' to keep: the operator reaches them through parked.* only.
        let parkedQueue = await broker.refusal(as: "npq-operator") {
            _ = try await $0.connection.purgeQueue("npq.applications.parked")
        }
        #expect(parkedQueue?.replyCode == 403, "\(String(describing: parkedQueue))")
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
            try SuiteProcess(
                service: service, broker: broker, dataDirectory: data,
                environment: [
                    "NPQ_LEAD_PROVIDER_USERS": "\(broker.user(Self.provider))=teach-first",
                    "NPQ_SCHOOL_USERS": "\(broker.user("npq-school-mis"))=\(SchoolContactsRegister.example.schoolURN)",
                ])
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
        // The operator finds it through the service (npq parked list), the queue itself drained into its database.
        let parked = await eventually(timeout: .seconds(30)) {
            let list = try? await operatorClient.ask(
                ParkedList(service: "applications"), expecting: ParkedListResult.self, timeout: .seconds(5))
            return (list?.total ?? 0) > 0
        }
        #expect(parked, "the refused submission was not parked")
        let statuses = try await operatorClient.gather(
            ServiceStatusGet(), expecting: ServiceStatusResult.self, expected: 5, timeout: .seconds(10))
        #expect(
            Set(statuses.compactMap { try? $0.get().service })
                == ["applications", "eligibility", "cohorts", "senco", "notifications"],
            "every service answers npq status under its own user")
        for process in processes {
            #expect(
                !process.log.contains("ACCESS_REFUSED"),
                "npq-\(process.service) was refused something:\n\(process.logTail)")
        }
        events.stop()
    }
}

// MARK: - Refusals

extension DeployedBroker {
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
