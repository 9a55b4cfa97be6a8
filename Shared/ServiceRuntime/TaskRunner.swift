import Foundation
import Logging
import Metrics
import ServiceLifecycle

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
