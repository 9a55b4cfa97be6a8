/// Headers the runtime itself sets on copies it republishes (to a retry tier or the parked queue).
///
/// A copy cannot keep the original `user_id` (the broker refuses a `user_id` other than the publishing
/// connection's), so the original publisher, exchange and routing key travel in headers. They are trusted only on
/// messages that arrive through the default exchange, which only the service's own broker user may write to (the
/// broker definitions grant integrators no write permission on `amq.default`).
enum RuntimeHeader {
    static let originalPublisher = "x-npq-original-user-id"
    static let originalExchange = "x-npq-original-exchange"
    static let originalRoutingKey = "x-npq-original-routing-key"
    static let lastError = "x-npq-last-error"
}
