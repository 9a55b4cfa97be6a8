import AMQP
import CohortsService
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Synchronization

/// The cohorts service in the test process, on the test broker, with reference files of its own and a clock the
/// test moves.
final class CohortsHarness: Sendable {
    /// A clock tests set by hand.
    final class ManualClock: Sendable {
        private let current: Mutex<Date>
        init(_ start: Date) { current = Mutex(start) }
        var now: Date { current.withLock { $0 } }
        func set(_ date: Date) { current.withLock { $0 = date } }
    }

    let clock: ManualClock
    let referenceDirectory: String
    let connection: AMQPConnection
    let tap: EventTap
    let client: NPQClient
    private let service = Mutex<InProcessService?>(nil)
    /// Completed runs of the service's periodic tasks.
    private let taskRuns = Mutex(0)
    private let dataDirectory = Mutex<String?>(nil)

    /// A 2030a cohort (capped, window 1 May–31 October 2030, start 18 November) with both leadership schedules, one
    /// specialist schedule and the four EHCO schedules; teach-first offers headship with a target of 2, and literacy
    /// and EHCO without one.
    static let cohorts = """
        {"cohorts": [
          {"cohort": "2030a", "fundingMode": "capped", "registrationOpens": "2030-05-01", "registrationCloses": "2030-10-31", "startDate": "2030-11-18"}
        ]}
        """
    static let schedules = """
        {"schedules": [
          {"cohort": "2030a", "schedule": "npq-leadership-autumn", "courseGroup": "leadership", "milestones": [{"declarationType": "started", "date": "2030-11-18"}, {"declarationType": "retained-1", "date": "2031-05-19"}, {"declarationType": "retained-2", "date": "2032-01-24"}, {"declarationType": "completed", "date": "2032-07-26"}]},
          {"cohort": "2030a", "schedule": "npq-leadership-spring", "courseGroup": "leadership", "milestones": [{"declarationType": "started", "date": "2031-02-24"}, {"declarationType": "retained-1", "date": "2031-08-25"}, {"declarationType": "retained-2", "date": "2032-04-26"}, {"declarationType": "completed", "date": "2032-10-25"}]},
          {"cohort": "2030a", "schedule": "npq-specialist-autumn", "courseGroup": "specialist", "milestones": [{"declarationType": "started", "date": "2030-11-18"}, {"declarationType": "retained-1", "date": "2031-05-19"}, {"declarationType": "completed", "date": "2032-02-16"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-november", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2030-11-01"}, {"declarationType": "completed", "date": "2031-11-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-december", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2030-12-01"}, {"declarationType": "completed", "date": "2031-12-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-march", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2031-03-01"}, {"declarationType": "completed", "date": "2032-03-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-june", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2031-06-01"}, {"declarationType": "completed", "date": "2032-06-01"}]}
        ]}
        """
    static let offerings = """
        {"offerings": [
          {"cohort": "2030a", "course": "npq-headship", "leadProvider": "teach-first", "recruitmentTarget": 2},
          {"cohort": "2030a", "course": "npq-leading-literacy", "leadProvider": "teach-first"},
          {"cohort": "2030a", "course": "npq-early-headship-coaching-offer", "leadProvider": "teach-first"}
        ]}
        """

    /// The shipped courses and lead providers, beside the test's own cohorts, schedules and offerings.
    init(now: Date, cohorts: String = CohortsHarness.cohorts) async throws {
        clock = ManualClock(now)
        referenceDirectory = NSTemporaryDirectory() + TestBroker.uniqueName("cohorts-reference")
        try FileManager.default.createDirectory(atPath: referenceDirectory, withIntermediateDirectories: true)
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reference/cohorts")
        for file in ["courses.json", "lead-providers.json"] {
            try FileManager.default.copyItem(
                atPath: shipped.appendingPathComponent(file).path, toPath: "\(referenceDirectory)/\(file)")
        }
        for (file, text) in [
            ("cohorts.json", cohorts), ("schedules.json", Self.schedules), ("offerings.json", Self.offerings),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(referenceDirectory)/\(file)"))
        }
        connection = try await TestBroker.connect(name: "cohorts tests")
        tap = try await EventTap(
            connection: connection,
            bindings: [
                (Topology.eventsExchange, "participant.#"), (Topology.eventsExchange, "cohort.#"),
                (Topology.eventsExchange, "schedule.#"), (Topology.eventsExchange, MessageRejected.routingKey),
            ])
        client = NPQClient(
            connection: connection, source: "urn:npq:test:cohorts", appID: "cohorts-tests",
            userID: try TestBroker.configuration().user)
        try await start()
    }

    /// Runs `body` with a started harness and stops it afterwards, whether `body` succeeds or throws.
    /// One at a time across all service tests (see `ServiceTestLock`).
    static func with(now: Date, _ body: (CohortsHarness) async throws -> Void) async throws {
        try await ServiceTestLock.run {
            let harness = try await CohortsHarness(now: now)
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
    func start() async throws {
        let clock = self.clock
        let options = CohortsService.Options(referenceDirectory: referenceDirectory, sweepInterval: .milliseconds(50))
        let instance = try await InProcessService(name: "cohorts", dataDirectory: dataDirectory.withLock { $0 }) {
            app in
            app.clock = { clock.now }
            app.afterTaskRun = { [self] _ in self.taskRuns.withLock { $0 += 1 } }
            try CohortsService.configure(&app, options: options)
        }
        dataDirectory.withLock { $0 = instance.dataDirectory }
        service.withLock { $0 = instance }
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

    /// Stops the service, keeping its queues and database, and starts it again.
    func restart() async throws {
        try await service.withLock { $0 }?.stop(keepingQueues: true)
        try await start()
    }

    /// Publishes an event as the applications service would.
    func publish<M: MessageContract>(_ event: M, messageID: String = Envelope.newMessageID()) async throws {
        var envelope = Envelope.new(for: M.self, source: "urn:npq:service:applications", appID: "npq-applications")
        envelope.messageID = messageID
        try await connection.publish(OutgoingMessage(event, envelope: envelope).amqpMessage)
    }

    /// The events of type `M` received so far.
    func events<M: MessageContract>(_ contract: M.Type) async -> [M] { await tap.payloads(contract) }

    func stop() async throws {
        try await service.withLock { $0 }?.stop()
        tap.stop()
        await connection.close()
        try? FileManager.default.removeItem(atPath: referenceDirectory)
        if let data = dataDirectory.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: data) }
    }
}

/// An instant from an RFC 3339 literal known to be valid.
func instant(_ text: String) -> Date { RFC3339.parse(text)! }
