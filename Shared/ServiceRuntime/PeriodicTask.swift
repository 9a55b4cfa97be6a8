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
