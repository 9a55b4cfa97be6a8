import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import SENCOService
import ServiceRuntime
import Synchronization

/// `npq-senco` in the test process, on the test broker, with the shipped reference data and a clock the test
/// moves.
final class SENCOHarness: Sendable {
    final class ManualClock: Sendable {
        private let current: Mutex<Date>
        init(_ start: Date) { current = Mutex(start) }
        var now: Date { current.withLock { $0 } }
        func set(_ date: Date) { current.withLock { $0 = date } }
    }

    let clock: ManualClock
    let connection: AMQPConnection
    let tap: EventTap
    let client: NPQClient
    private let service = Mutex<InProcessService?>(nil)
    /// Completed runs of the service's periodic tasks.
    private let taskRuns = Mutex(0)
    private let dataDirectory = Mutex<String?>(nil)

    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference")

    init(now: Date) async throws {
        clock = ManualClock(now)
        connection = try await TestBroker.connect(name: "senco tests")
        tap = try await EventTap(
            connection: connection,
            bindings: [(Topology.eventsExchange, "senco.#"), (Topology.eventsExchange, MessageRejected.routingKey)])
        client = NPQClient(
            connection: connection, source: "urn:npq:test:senco", appID: "senco-tests",
            userID: try TestBroker.configuration().user)
        try await start()
    }

    /// Runs `body` with a started harness and stops it afterwards, whether `body` succeeds or throws.
    /// One at a time across all service tests (see `ServiceTestLock`).
    static func with(now: Date, _ body: (SENCOHarness) async throws -> Void) async throws {
        try await ServiceTestLock.run {
            let harness = try await SENCOHarness(now: now)
            do {
                try await body(harness)
            } catch {
                try await harness.stop()
                throw error
            }
            try await harness.stop()
        }
    }

    func start() async throws {
        let clock = self.clock
        let options = SENCOService.Options(
            cohortsReferenceDirectory: Self.reference.appendingPathComponent("cohorts").path,
            regulationFile: Self.reference.appendingPathComponent("senco/regulation.json").path,
            sweepInterval: .milliseconds(50))
        let instance = try await InProcessService(name: "senco", dataDirectory: dataDirectory.withLock { $0 }) { app in
            app.clock = { clock.now }
            app.afterTaskRun = { [self] _ in self.taskRuns.withLock { $0 += 1 } }
            try SENCOService.configure(&app, options: options)
        }
        dataDirectory.withLock { $0 = instance.dataDirectory }
        service.withLock { $0 = instance }
    }

    /// Stops the service, keeping its queues and database, and starts it again.
    func restart() async throws {
        try await service.withLock { $0 }?.stop(keepingQueues: true)
        try await start()
    }

    /// Moves the clock to 07:00 UTC on `day` (08:00 in London in summer, 07:00 in winter) and waits until the sweep
    /// has run with it.
    func move(to day: String) async throws {
        clock.set(RFC3339.parse("\(day)T08:00:00+01:00")!)
        try await waitForSweeps()
    }

    /// Waits until the service's periodic tasks have completed two more runs: at least one whole run after this call,
    /// so a clock set before it has been seen (the first may have read the clock before).
    func waitForSweeps() async throws {
        let start = taskRuns.withLock { $0 }
        guard await eventually(timeout: .seconds(30), { taskRuns.withLock { $0 } >= start + 2 }) else {
            throw SweepTimeout()
        }
        // What the runs committed is published by the outbox relay straight after; let it reach the tap.
        try await Task.sleep(for: .milliseconds(200))
    }

    struct SweepTimeout: Error, CustomStringConvertible {
        var description: String { "the service's sweep did not run twice within 30 s" }
    }

    /// Publishes an event as another service would.
    func publish<M: MessageContract>(_ event: M) async throws {
        let envelope = Envelope.new(for: M.self, source: "urn:npq:service:applications", appID: "npq-applications")
        try await connection.publish(OutgoingMessage(event, envelope: envelope).amqpMessage)
    }

    func events<M: MessageContract>(_ contract: M.Type) async -> [M] { await tap.payloads(contract) }

    func stop() async throws {
        try await service.withLock { $0 }?.stop()
        tap.stop()
        await connection.close()
        if let data = dataDirectory.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: data) }
    }
}
