import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// A sweep a service runs every so often — announcing registration windows, sending due reminders — each run in one
/// database transaction with its outgoing messages (see ``TaskContext``).
///
/// A run that fails is logged and tried again at the next tick; the state it would have changed is unchanged, so
/// a sweep decides afresh each time what is due and never does one thing twice. It stops at graceful shutdown.
public struct PeriodicTask: Sendable {
    /// A short name for logs and metrics, e.g. `registration-windows`.
    public var name: String
    /// The pause between the end of one run and the start of the next.
    public var interval: Duration
    /// One run, in one transaction; returns `true` when it left work for another run straight away (it works in
    /// batches), `false` when it is done until the next tick.
    public var body: @Sendable (TaskContext) async throws -> Bool

    public init(
        name: String, every interval: Duration, batches body: @escaping @Sendable (TaskContext) async throws -> Bool
    ) {
        self.name = name
        self.interval = interval
        self.body = body
    }

    public init(name: String, every interval: Duration, _ body: @escaping @Sendable (TaskContext) async throws -> Void)
    {
        self.init(name: name, every: interval) { context in
            try await body(context)
            return false
        }
    }
}

/// Runs one ``PeriodicTask`` until graceful shutdown.
final class PeriodicTaskService: Service, Sendable {
    let task: PeriodicTask
    let runner: TaskRunner

    init(task: PeriodicTask, runner: TaskRunner) {
        self.task = task
        self.runner = runner
    }

    func run() async throws {
        let failures = Counter(label: "npq_task_failures_total", dimensions: [("task", task.name)])
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await self.runner.run(self.task.name, self.task.body) { continue }
                } catch is CancellationError {
                    return
                } catch {
                    failures.increment()
                    self.runner.logger.warning(
                        "periodic task failed; trying again at the next tick",
                        metadata: ["task": "\(self.task.name)", "error": "\(error)"])
                }
                try? await Task.sleep(for: self.task.interval)
            }
        }
    }
}

/// Runs a task body in one transaction and hands its messages to the outbox relay.
package struct TaskRunner: Sendable {
    let store: SQLStore
    let clock: @Sendable () -> Date
    let logger: Logger
    let source: String
    let appID: String
    let onCommit: @Sendable () -> Void

    package init(
        store: SQLStore, clock: @escaping @Sendable () -> Date, logger: Logger, source: String, appID: String,
        onCommit: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.source = source
        self.appID = appID
        self.onCommit = onCommit
    }

    /// Runs `body` and returns what it returned.
    @discardableResult
    package func run<T: Sendable>(_ name: String, _ body: @Sendable (TaskContext) async throws -> T) async throws -> T {
        var logger = self.logger
        logger[metadataKey: "task"] = "\(name)"
        let now = clock()
        let (source, appID) = (self.source, self.appID)
        let result = try await store.transaction { [logger] database in
            let context = TaskContext(database: database, now: now, logger: logger, source: source, appID: appID)
            let result = try await body(context)
            try await MessageStore.enqueue(context.messages, at: now, in: database)
            return result
        }
        onCommit()
        return result
    }
}
