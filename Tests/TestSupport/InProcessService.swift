import Foundation
import Logging
import ServiceRuntime
import Synchronization

/// Runs a ``ServiceApplication`` inside the test process, on the test broker, with a fresh data directory.
public final class InProcessService: Sendable {
    public let name: String
    public let dataDirectory: String
    private let queues: [String]
    /// The broker URL the service connects with (the test broker's, or one of its virtual hosts).
    private let amqpURL: String
    private let state = State()

    private final class State: Sendable {
        let handle = Mutex<RunningService?>(nil)
        let task = Mutex<Task<Void, any Error>?>(nil)
        let stopped = Mutex(false)
    }

    /// Starts a service named `name` configured by `configure`, and returns once it consumes.
    ///
    /// - Parameter dataDirectory: where its database lives; a fresh folder when `nil`. Pass the previous instance's
    ///   ``dataDirectory`` to restart a service with its state.
    public init(
        name: String, environment: [String: String] = [:], dataDirectory: String? = nil,
        configure: (inout ServiceApplication) throws -> Void
    )
        async throws
    {
        self.name = name
        if let dataDirectory {
            self.dataDirectory = dataDirectory
        } else {
            self.dataDirectory = NSTemporaryDirectory() + "npq-test-\(name)"
            try? FileManager.default.removeItem(atPath: self.dataDirectory)
        }
        var variables = [
            "NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL"), "NPQ_DATA_DIR": self.dataDirectory,
            "NPQ_HTTP_PORT": "0", "NPQ_SERVICE_NAME": name,
            // The tests' own broker user may ask for parked messages and status (see TestBroker.operatorClient).
            "NPQ_OPERATOR_USERS": try TestBroker.configuration().user,
        ]
        for (key, value) in environment { variables[key] = value }
        amqpURL = variables["NPQ_AMQP_URL"] ?? ""
        let amqpURL = self.amqpURL
        let configuration = try ServiceConfiguration.load(service: name, environment: variables)
        var logger = Logger(label: "test.\(name)")
        logger.logLevel =
            ProcessInfo.processInfo.environment["NPQ_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .error
        var application = ServiceApplication(configuration: configuration, logger: logger)
        try configure(&application)
        let app = application
        let topology = app.topology
        queues = [topology.queue, topology.parkedQueue] + topology.retryTiers.map(\.queue)
        let state = self.state
        let task = Task {
            try await app.run(handleSignals: false, started: { running in state.handle.withLock { $0 = running } })
        }
        state.task.withLock { $0 = task }
        let connection = try await TestBroker.connect(name: "wait for \(name)", url: amqpURL)
        defer { Task { await connection.close() } }
        let queue = app.topology.queue
        // A hang detector, not a speed check: under `make test`'s first pass (every suite at once on two cores) a
        // service has once needed more than 30 s to open its database, import its reference files and consume.
        let consumers = Mutex<String>("none seen")
        guard
            await eventually(
                timeout: .seconds(Self.startTimeoutSeconds),
                {
                    do {
                        let count = try await connection.inspectQueue(queue).consumers
                        consumers.withLock { $0 = "\(count) consumer(s) on \(queue)" }
                        return count == 1
                    } catch {
                        consumers.withLock { $0 = "\(queue): \(error)" }
                        return false
                    }
                })
        else {
            throw NotStarted(name: name, seen: consumers.withLock { $0 })
        }
    }

    /// The running service's handle.
    public var running: RunningService? { state.handle.withLock { $0 } }

    /// Shuts the service down gracefully (once), waits for it to finish, and deletes its queues (unless
    /// `keepingQueues`, for a restart) so that later tests' messages do not pile up in them.
    public func stop(keepingQueues: Bool = false) async throws {
        // Idempotent: a test may stop the service early, before its helper stops it again.
        guard
            !state.stopped.withLock({ stopped in
                defer { stopped = true }; return stopped
            })
        else { return }
        await running?.shutdown()
        try await state.task.withLock { $0 }?.value
        if keepingQueues { return }
        let connection = try await TestBroker.connect(name: "clean up \(name)", url: amqpURL)
        for queue in queues { _ = try? await connection.deleteQueue(queue) }
        await connection.close()
    }

    /// How long a service may take to consume after it starts.
    static let startTimeoutSeconds: Int64 = 120

    public struct NotStarted: Error, CustomStringConvertible {
        public let name: String
        /// What the last look at its queue found.
        public let seen: String
        public var description: String {
            "service \(name) did not start consuming within \(InProcessService.startTimeoutSeconds) s (last seen: \(seen))"
        }
    }
}
