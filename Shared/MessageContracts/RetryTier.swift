/// One step of a service's retry ladder: a queue whose messages wait `delay` and then return to
/// the service's main queue.
///
/// The queue carries a per-queue TTL of `delay` and dead-letters through the default exchange back
/// to the main queue, so a transient failure is retried later without blocking other messages.
public struct RetryTier: Hashable, Sendable {
    /// The tier number, starting at 1.
    public let index: Int

    /// How long a message waits in this tier before it is retried.
    public let delay: Duration

    /// The queue name, e.g. `"npq.applications.retry.1"`.
    public let queue: String

    /// Creates a tier; ``ServiceTopology`` builds these from its list of delays.
    public init(index: Int, delay: Duration, queue: String) {
        self.index = index
        self.delay = delay
        self.queue = queue
    }

    /// The delay in whole milliseconds, the unit of RabbitMQ's `x-message-ttl`.
    public var delayMilliseconds: Int64 {
        let (seconds, attoseconds) = delay.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
