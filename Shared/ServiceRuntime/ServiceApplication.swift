import AMQP
import Foundation
import Logging
import MessageContracts
import ServiceLifecycle
import Synchronization

/// One NPQ service: its configuration, the messages it handles and its database migrations — and, in ``run()``,
/// everything every service shares: the SQLite store, the broker connection and topology, the consumer loop with
/// inbox and outbox, the outbox relay, the health and metrics endpoint, and graceful shutdown.
///
/// ```swift
/// @main enum Main {
///     static func main() async {
///         await ServiceApplication.main(service: "applications") { app in
///             app.migrations = ApplicationsStore.migrations
///             app.on(ApplicationSubmit.self) { message, context in … }
///         }
///     }
/// }
/// ```
public struct ServiceApplication: Sendable {
    public var configuration: ServiceConfiguration
    public var logger: Logger
    /// The service's own migrations, numbered from 100 (1–99 belong to the runtime).
    public var migrations: [SQLMigration] = []
    public var router = MessageRouter()
    /// Delays of the retry tiers for transient failures.
    public var retryDelays: [Duration] = ServiceTopology.defaultRetryDelays
    /// How many deliveries of one message the queue allows before it is parked (a message that crashes the service).
    public var deliveryLimit = ServiceTopology.defaultDeliveryLimit
    /// Larger bodies are rejected with `too_large`.
    public var maxBodyBytes = 1_048_576
    /// "Now" for handlers; tests inject a fixed clock.
    public var clock: @Sendable () -> Date = { Date() }
    /// Called after a message's transaction commits and before it is acked: a fault-injection point for tests.
    public var afterCommit: (@Sendable (String) -> Void)?
    /// Called after each run of a periodic task commits, with the task's name: lets tests wait for a sweep to have
    /// seen the clock they set, instead of sleeping.
    public var afterTaskRun: (@Sendable (String) -> Void)?
    /// Run once at start, after the migrations and before consuming, each in its own transaction; one that throws
    /// stops the service (say, reference data that breaks a rule).
    public var startupTasks: [(name: String, body: @Sendable (TaskContext) async throws -> Void)] = []
    /// Sweeps run every so often while the service runs.
    public var periodicTasks: [PeriodicTask] = []
    /// Long-running jobs (see ``BackgroundWorker``), started after the start-up tasks.
    public var workers: [BackgroundWorker] = []

    public init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Handles messages of contract `M`; see ``MessageRouter/on(_:_:)``.
    public mutating func on<M: MessageContract>(
        _ contract: M.Type, _ handler: @escaping @Sendable (IncomingMessage<M>, HandlerContext) async throws -> Void
    ) {
        router.on(contract, handler)
    }

    /// Runs `body` once at start, in a transaction, before the service consumes; see ``startupTasks``.
    public mutating func onStart(_ name: String, _ body: @escaping @Sendable (TaskContext) async throws -> Void) {
        startupTasks.append((name, body))
    }

    /// Runs `body` as a ``BackgroundWorker`` while the service runs.
    public mutating func worker(_ name: String, _ body: @escaping @Sendable (WorkerContext) async throws -> Void) {
        workers.append(BackgroundWorker(name: name, body))
    }

    /// Runs `body` every `interval` (after the previous run ends) while the service runs; see ``PeriodicTask``.
    public mutating func every(
        _ interval: Duration, name: String, _ body: @escaping @Sendable (TaskContext) async throws -> Void
    ) {
        periodicTasks.append(PeriodicTask(name: name, every: interval, body))
    }

    /// Like ``every(_:name:_:)`` for a sweep that works in batches, one transaction each: while `batch` returns
    /// `true` (more to do), the next batch runs straight away.
    public mutating func every(
        _ interval: Duration, name: String, batches batch: @escaping @Sendable (TaskContext) async throws -> Bool
    ) {
        periodicTasks.append(PeriodicTask(name: name, every: interval, batches: batch))
    }

    /// The queues and bindings this service declares: its handlers' and the operators' messages every service
    /// answers (``OperationsHandlers``).
    public var topology: ServiceTopology {
        ServiceTopology(
            service: configuration.serviceName,
            bindings: Array(Set(router.bindings + OperationsHandlers.bindings)).sorted {
                ($0.exchange, $0.routingKey) < ($1.exchange, $1.routingKey)
            }, retryDelays: retryDelays, deliveryLimit: deliveryLimit)
    }

    /// Runs the service until a graceful shutdown — SIGTERM or SIGINT when `handleSignals`, or
    /// ``RunningService/shutdown()`` — then stops consuming, finishes in-flight messages, flushes the outbox and
    /// closes the broker connection and the database.
    ///
    /// - Parameter started: called once everything is wired, with a handle to stop the service or read its port.
    public func run(
        handleSignals: Bool = true, started: (@Sendable (RunningService) -> Void)? = nil
    ) async throws {
        var logger = self.logger
        logger[metadataKey: LogKey.service] = "\(configuration.serviceName)"
        let store = try await SQLStore.open(configuration.database, logger: logger)
        do {
            try await store.migrate(MessageStore.migrations + migrations)
        } catch {
            try? await store.close()
            throw error
        }

        var amqp = try AMQPConfiguration(url: configuration.amqpURL.absoluteString)
        amqp.connectionName = "npq-\(configuration.serviceName)"
        if amqp.tls != nil {
            if let ca = configuration.amqpCAFile { amqp.tls?.caFile = ca }
            if let certificate = configuration.amqpCertFile { amqp.tls?.certificateFile = certificate }
            if let key = configuration.amqpKeyFile { amqp.tls?.keyFile = key }
        }
        let connection = AMQPConnection(configuration: amqp, logger: logger)
        let topology = self.topology

        let metrics = MetricsBootstrap.bootstrap()
        let readiness = ReadinessRegistry()
        let declared = Atomic<Bool>(false)
        let storeOpen = Atomic<Bool>(true)
        readiness.register("broker") {
            connection.state.isConnected ? .ready : .notReady("\(connection.state)")
        }
        readiness.register("database") { storeOpen.load(ordering: .relaxed) ? .ready : .notReady("closed") }
        readiness.register("topology") { declared.load(ordering: .relaxed) ? .ready : .notReady("not declared yet") }
        let queueMonitor = QueueMonitor(connection: connection, store: store, topology: topology, logger: logger)
        var router = self.router
        OperationsHandlers(
            topology: topology, operators: configuration.operatorUsers, readiness: readiness, queues: queueMonitor,
            startedAt: Date(), instance: OperationsHandlers.instanceName()
        ).register(on: &router)

        let relay = OutboxRelay(
            store: store, connection: connection, service: configuration.serviceName, userID: amqp.user,
            logger: logger, gracePeriod: configuration.shutdownGracePeriod)
        // Every commit wakes the outbox relay and the workers (a handler may have left them work).
        let workerWakes = workers.map { _ in WakeSignal() }
        let runner = TaskRunner(
            store: store, clock: clock, logger: logger, source: topology.source,
            appID: "npq-\(configuration.serviceName)",
            onCommit: {
                relay.notify()
                for wake in workerWakes { wake.signal() }
            })
        // A worker's own commits wake only the relay: waking the workers too would have them wake themselves for ever.
        let workerRunner = TaskRunner(
            store: store, clock: clock, logger: logger, source: topology.source,
            appID: "npq-\(configuration.serviceName)", onCommit: { relay.notify() })
        for task in startupTasks {
            do {
                try await runner.run(task.name, task.body)
            } catch {
                logger.critical("start-up task failed", metadata: ["task": "\(task.name)", "error": "\(error)"])
                try? await store.close()
                throw error
            }
        }
        let processor = MessageProcessor(
            service: topology, router: router, store: store, connection: connection, ownUser: amqp.user,
            logger: logger, clock: clock,
            maxBodyBytes: maxBodyBytes, afterCommit: afterCommit,
            onCommit: {
                relay.notify()
                for wake in workerWakes { wake.signal() }
            })
        let consumer = MessageConsumerService(
            connection: connection, topology: topology, prefetch: UInt16(configuration.prefetch),
            maxBatch: configuration.consumerBatch, processor: processor,
            declared: { declared.store(true, ordering: .relaxed) }, gracePeriod: configuration.shutdownGracePeriod,
            logger: logger)
        let health = HTTPHealthServer(
            configuration: configuration, readiness: readiness, metrics: metrics, logger: logger)

        // Shut down in reverse order: the consumer first (finishing in-flight messages), then the relay (flushing
        // the outbox), then the health endpoint.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: health), .init(service: HeapTrimService(activity: { store.writeTransactions })),
                    .init(service: relay),
                ]
                    + periodicTasks.map {
                        .init(service: PeriodicTaskService(task: $0, runner: runner, afterRun: afterTaskRun))
                    }
                    + zip(workers, workerWakes).map {
                        .init(
                            service: BackgroundWorkerService(
                                worker: $0, runner: workerRunner, wake: $1,
                                gracePeriod: configuration.shutdownGracePeriod))
                    }
                    + [
                        .init(service: queueMonitor),
                        .init(
                            service: ParkedIngestService(
                                connection: connection, topology: topology, ownUser: amqp.user, store: store,
                                clock: clock, logger: logger)),
                        .init(service: consumer),
                    ],
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger))
        started?(RunningService(group: group, health: health))
        logger.info(
            "service starting",
            metadata: [
                "amqp": "\(amqp.redactedURL)", "database": "\(configuration.database)", "queue": "\(topology.queue)",
            ])
        do {
            try await group.run()
        } catch {
            logger.error("service stopped by an error", metadata: ["error": "\(error)"])
            await connection.close()
            storeOpen.store(false, ordering: .relaxed)
            try? await store.close()
            throw error
        }
        await connection.close()
        storeOpen.store(false, ordering: .relaxed)
        try await store.close()
        logger.info("service stopped")
    }

    /// The entry point of a service executable: reads the configuration from the environment (exiting with status
    /// 78 and a message naming the variable when it is wrong), sets up logging and metrics, lets `configure`
    /// register handlers, and runs until SIGTERM or SIGINT.
    public static func main(
        service: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        configure: (inout ServiceApplication) throws -> Void
    ) async {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(service: service, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("npq-\(service): configuration error: \(error)\n".utf8))
            exit(78)
        }
        LoggingBootstrap.bootstrap(
            format: configuration.logFormat, level: configuration.logLevel, service: configuration.serviceName)
        _ = MetricsBootstrap.bootstrap()
        var logger = Logger(label: "npq.\(configuration.serviceName)")
        logger.logLevel = configuration.logLevel
        var application = ServiceApplication(configuration: configuration, logger: logger)
        do {
            try configure(&application)
            try await application.run()
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}

/// A running service, as ``ServiceApplication/run(handleSignals:started:)`` hands it out.
public struct RunningService: Sendable {
    let group: ServiceGroup
    let health: HTTPHealthServer

    /// Starts a graceful shutdown, as SIGTERM would.
    public func shutdown() async { await group.triggerGracefulShutdown() }

    /// The port the health and metrics endpoint listens on (useful with `NPQ_HTTP_PORT=0`).
    public func httpPort() async throws -> Int { try await health.boundPort() }
}
