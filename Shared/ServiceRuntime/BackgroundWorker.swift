import Foundation
import Logging
import Metrics
import ServiceLifecycle

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
/// The body runs until graceful shutdown cancels it; if it throws, the error is logged and the body starts again
/// after `restartDelay`.
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
    /// A logger carrying the worker's name. Never log personal data at info or above.
    public let logger: Logger

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

/// Runs one ``BackgroundWorker`` until graceful shutdown.
final class BackgroundWorkerService: Service, Sendable {
    let worker: BackgroundWorker
    let context: WorkerContext

    init(worker: BackgroundWorker, runner: TaskRunner, wake: WakeSignal) {
        self.worker = worker
        var logger = runner.logger
        logger[metadataKey: "worker"] = "\(worker.name)"
        self.context = WorkerContext(runner: runner, wake: wake, logger: logger)
    }

    func run() async throws {
        let failures = Counter(label: "npq_worker_failures_total", dimensions: [("worker", worker.name)])
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.worker.body(self.context)
                    return
                } catch is CancellationError {
                    return
                } catch {
                    failures.increment()
                    self.context.logger.warning(
                        "worker failed; starting it again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.worker.restartDelay)
            }
        }
    }
}
