import AMQP
import Foundation
import MessageContracts
import ServiceRuntime
import Synchronization

/// A service under test in the test process, on the test broker: its clock (which the test moves), a tap on the
/// events it publishes, a client to send it commands and queries, and restarts that keep its database.
public final class ServiceHarness: Sendable {
    /// A clock the test sets by hand.
    public final class ManualClock: Sendable {
        private let current: Mutex<Date>
        public init(_ start: Date) { current = Mutex(start) }
        public var now: Date { current.withLock { $0 } }
        public func set(_ date: Date) { current.withLock { $0 = date } }
    }

    public let clock: ManualClock
    public let connection: AMQPConnection
    public let tap: EventTap
    public let client: NPQClient
    private let name: String
    private let configure: @Sendable (inout ServiceApplication) throws -> Void
    private let service = Mutex<InProcessService?>(nil)
    /// Completed runs of the service's periodic tasks.
    private let taskRuns = Mutex(0)
    private let dataDirectory = Mutex<String?>(nil)

    /// Where the running service keeps its files, including its SQLite database `<service>.sqlite`.
    public var serviceDataDirectory: String? { dataDirectory.withLock { $0 } }

    /// Starts service `name`, configured by `configure`, with its clock at `now` and a tap on `bindings`
    /// ((exchange, routing key) pairs).
    public init(
        service name: String, now: Date, bindings: [(String, String)],
        configure: @escaping @Sendable (inout ServiceApplication) throws -> Void
    ) async throws {
        self.name = name
        self.configure = configure
        clock = ManualClock(now)
        connection = try await TestBroker.connect(name: "\(name) tests")
        tap = try await EventTap(connection: connection, bindings: bindings)
        client = NPQClient(
            connection: connection, source: "urn:npq:test:\(name)", appID: "\(name)-tests",
            userID: try TestBroker.configuration().user)
        try await start()
    }

    /// Runs `body` with a started harness, one at a time across all service tests (see ``ServiceTestLock``), and
    /// stops it afterwards, whether `body` succeeds or throws.
    public static func with(
        service name: String, now: Date, bindings: [(String, String)],
        configure: @escaping @Sendable (inout ServiceApplication) throws -> Void,
        _ body: (ServiceHarness) async throws -> Void
    ) async throws {
        try await ServiceTestLock.run {
            let harness = try await ServiceHarness(service: name, now: now, bindings: bindings, configure: configure)
            do {
                try await body(harness)
            } catch {
                try await harness.stop()
                throw error
            }
            try await harness.stop()
        }
    }

    /// Starts (or restarts, with the same database) the service.
    public func start() async throws {
        let clock = self.clock
        let configure = self.configure
        let instance = try await InProcessService(name: name, dataDirectory: dataDirectory.withLock { $0 }) { app in
            app.clock = { clock.now }
            app.afterTaskRun = { [self] _ in self.taskRuns.withLock { $0 += 1 } }
            try configure(&app)
        }
        dataDirectory.withLock { $0 = instance.dataDirectory }
        service.withLock { $0 = instance }
    }

    /// Stops the service, keeping its queues and database, and starts it again.
    public func restart() async throws {
        try await service.withLock { $0 }?.stop(keepingQueues: true)
        try await start()
    }

    /// Waits until the service's periodic tasks have completed two more runs — at least one whole run after this
    /// call, so a clock set before it has been seen — and for the outbox relay to publish what they committed.
    public func waitForSweeps() async throws {
        let start = taskRuns.withLock { $0 }
        guard await eventually(timeout: .seconds(30), { taskRuns.withLock { $0 } >= start + 2 }) else {
            throw SweepTimeout()
        }
        try await Task.sleep(for: .milliseconds(200))
    }

    public struct SweepTimeout: Error, CustomStringConvertible {
        public var description: String { "the service's sweep did not run twice within 30 s" }
    }

    /// Publishes a message as another service would (the applications service, by its source).
    public func publish<M: MessageContract>(_ message: M, messageID: String = Envelope.newMessageID()) async throws {
        var envelope = Envelope.new(for: M.self, source: "urn:npq:service:applications", appID: "npq-applications")
        envelope.messageID = messageID
        try await connection.publish(OutgoingMessage(message, envelope: envelope).amqpMessage)
    }

    /// The messages of type `M` the tap has received so far.
    public func events<M: MessageContract>(_ contract: M.Type) async -> [M] { await tap.payloads(contract) }

    /// Stops the service and deletes its queues and database.
    public func stop() async throws {
        try await service.withLock { $0 }?.stop()
        tap.stop()
        await connection.close()
        if let data = dataDirectory.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: data) }
    }
}
