/// Headers the runtime itself sets on copies it republishes (to a retry tier, the parked queue, or back to its queue
/// in a replay).
///
/// A copy cannot keep the original `user_id` (the broker refuses a `user_id` other than the publishing
/// connection's), so the original publisher, exchange and routing key travel in headers. They are believed only on
/// messages whose broker-validated `user_id` is the service's own user (every message a service publishes carries
/// it) and that arrive through the default exchange or as a replay (on `npq.dead-letter` with the service's replay
/// routing key). Any other publisher's `x-npq-*` headers are its own words: dropped before a retry, never believed.
enum RuntimeHeader {
    static let originalPublisher = "x-npq-original-user-id"
    static let originalExchange = "x-npq-original-exchange"
    static let originalRoutingKey = "x-npq-original-routing-key"
    static let lastError = "x-npq-last-error"
    /// On a replayed copy: which replay of the message it is (1, 2, …); the parked copy of a refused replay keeps it.
    static let replayCount = "x-npq-replay-count"
    /// On a replayed copy: the operator who replayed it.
    static let replayedBy = "x-npq-replayed-by"
}
