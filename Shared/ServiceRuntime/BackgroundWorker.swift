import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// A long-running job of a service that does slow work outside any transaction — sending an email, calling a
/// webhook — and records what it did in short transactions of its own, so the database is never locked while it
/// waits on the network.
///
/// ```swift
/// app.worker("deliveries") { worker in
///     while !Task.isCancelled {
///         let due = try await worker.transaction("claim") { context in try await Store.due(in: context.database) }
///         for item in due { … send …; try await worker.transaction("record") { context in … } }
///         await worker.waitForWork(atMost: .seconds(1))
///     }
/// }
/// ```
///
/// At graceful shutdown ``WorkerContext/isStopping`` turns true and the worker is woken: it should finish what it
/// has in hand (and record it) and return. Only if it is still running when the shutdown grace period ends is it
/// cancelled. If the body throws, the error is logged and the body starts again after `restartDelay`.
public struct BackgroundWorker: Sendable {
    /// A short name for logs and metrics, e.g. `deliveries`.
    public var name: String
    /// How long to wait before starting the body again after it threw.
    public var restartDelay: Duration
    public var body: @Sendable (WorkerContext) async throws -> Void

    public init(
        name: String, restartDelay: Duration = .seconds(1),
        _ body: @escaping @Sendable (WorkerContext) async throws -> Void
    ) {
        self.name = name
        self.restartDelay = restartDelay
        self.body = body
    }
}

/// What a ``BackgroundWorker`` works with: short transactions with an outbox (each a ``TaskContext``), the service's
/// clock, and a wake-up whenever the service commits something (a handler may have left it work).
public struct WorkerContext: Sendable {
    let runner: TaskRunner
    let wake: WakeSignal
    let stop: StopFlag
    /// A logger carrying the worker's name. Never log personal data at info or above.
    public let logger: Logger

    /// Whether the service is shutting down: finish the work in hand, start no more, and return.
    public var isStopping: Bool { stop.isSet }

    /// The thread the worker's transactions run on, for a task of the worker's own that mostly runs transactions:
    /// preferring it saves a thread hop in and out of each.
    public var storeExecutor: any TaskExecutor { runner.store.writerExecutor }

    /// "Now" by the service's clock.
    public var now: Date { runner.clock() }

    /// Runs `body` in one transaction; the messages it publishes are sent once it commits.
    @discardableResult
    public func transaction<T: Sendable>(
        _ name: String, _ body: @Sendable (TaskContext) async throws -> T
    ) async throws -> T {
        try await runner.run(name, body)
    }

    /// Returns when the service commits a change (a handler or a task may have left work), after `timeout`, or when
    /// the worker is cancelled.
    public func waitForWork(atMost timeout: Duration) async {
        await wake.wait(timeout: timeout)
    }
}

/// Set once, at graceful shutdown.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// Runs one ``BackgroundWorker`` until graceful shutdown: tells it to stop, gives it the grace period to finish the
/// work in hand, then cancels it.
final class BackgroundWorkerService: Service, Sendable {
    let worker: BackgroundWorker
    let context: WorkerContext
    let gracePeriod: Duration

    init(worker: BackgroundWorker, runner: TaskRunner, wake: WakeSignal, gracePeriod: Duration) {
        self.worker = worker
        self.gracePeriod = gracePeriod
        var logger = runner.logger
        logger[metadataKey: "worker"] = "\(worker.name)"
        self.context = WorkerContext(runner: runner, wake: wake, stop: StopFlag(), logger: logger)
    }

    func run() async throws {
        let failures = Counter(label: "npq_worker_failures_total", dimensions: [("worker", worker.name)])
        let (worker, context, gracePeriod) = (self.worker, self.context, self.gracePeriod)
        // On the store's writer thread, where the worker's transactions run; its slow work (a send) awaits I/O
        // elsewhere.
        let task = Task(executorPreference: context.storeExecutor) {
            while !context.isStopping && !Task.isCancelled {
                do {
                    try await worker.body(context)
                    return
                } catch is CancellationError {
                    return
                } catch {
                    failures.increment()
                    context.logger.warning("worker failed; starting it again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: worker.restartDelay)
            }
        }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await task.value
            } onGracefulShutdown: {
                context.stop.set()
                context.wake.signal()
                Task {
                    try? await Task.sleep(for: gracePeriod)
                    task.cancel()
                }
            }
        } onCancel: {
            task.cancel()
        }
    }
}
