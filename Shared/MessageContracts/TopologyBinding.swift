/// One binding of a service's main queue: the exchange and the routing key pattern it listens on.
public struct TopologyBinding: Hashable, Sendable, CustomStringConvertible {
    /// The exchange the queue is bound to, e.g. `"npq.events"`.
    public let exchange: String

    /// The topic routing key or pattern, e.g. `"application.accepted.v1"`.
    public let routingKey: String

    /// Creates a binding from an exchange name and a routing key.
    public init(exchange: String, routingKey: String) {
        self.exchange = exchange
        self.routingKey = routingKey
    }

    /// The binding that delivers messages of `contract` to a queue.
    ///
    /// Replies cannot be bound: they travel through the default exchange straight to `reply_to`.
    public static func consuming<M: MessageContract>(_ contract: M.Type) -> TopologyBinding {
        precondition(M.kind != .reply, "\(M.typeName) is a reply; replies go to reply_to and are never bound")
        return TopologyBinding(exchange: M.exchange, routingKey: M.routingKey)
    }

    /// `exchange → routingKey`, for logs.
    public var description: String {
        "\(exchange) → \(routingKey)"
    }
}
