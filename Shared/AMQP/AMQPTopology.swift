/// Exchanges, queues and bindings to declare. Declarations are idempotent on the broker (declaring what exists
/// with the same arguments does nothing) and the connection remembers them to declare again after a reconnect.
public struct AMQPTopology: Sendable, Hashable {
    /// An exchange declaration.
    public struct Exchange: Sendable, Hashable {
        public enum Kind: String, Sendable { case direct, topic, fanout, headers }
        public var name: String
        public var kind: Kind
        public var durable: Bool
        public var arguments: AMQPTable

        public init(_ name: String, kind: Kind = .topic, durable: Bool = true, arguments: AMQPTable = [:]) {
            self.name = name
            self.kind = kind
            self.durable = durable
            self.arguments = arguments
        }
    }

    /// A queue declaration. Use ``quorum(_:deliveryLimit:deadLetterExchange:deadLetterRoutingKey:arguments:)``
    /// for a replicated queue with a poison-message bound, ``classic(_:messageTTL:deadLetterExchange:deadLetterRoutingKey:)``
    /// for a retry tier whose messages expire back to where they came from.
    public struct Queue: Sendable, Hashable {
        public var name: String
        public var durable: Bool
        public var exclusive: Bool
        public var autoDelete: Bool
        public var arguments: AMQPTable

        public init(
            _ name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
            arguments: AMQPTable = [:]
        ) {
            self.name = name
            self.durable = durable
            self.exclusive = exclusive
            self.autoDelete = autoDelete
            self.arguments = arguments
        }

        /// A durable quorum queue. A message delivered more than `deliveryLimit` times without an ack is
        /// dead-lettered (at least once) instead of being redelivered forever.
        public static func quorum(
            _ name: String, deliveryLimit: Int? = nil, deadLetterExchange: String? = nil,
            deadLetterRoutingKey: String? = nil, arguments: AMQPTable = [:]
        ) -> Queue {
            var all = arguments
            all["x-queue-type"] = "quorum"
            if let deliveryLimit { all["x-delivery-limit"] = .int(Int64(deliveryLimit)) }
            if let deadLetterExchange {
                all["x-dead-letter-exchange"] = .string(deadLetterExchange)
                // At-least-once dead-lettering needs reject-publish overflow; it keeps the message until the
                // dead-letter target has confirmed it.
                all["x-dead-letter-strategy"] = "at-least-once"
                all["x-overflow"] = "reject-publish"
            }
            if let deadLetterRoutingKey { all["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
            return Queue(name, arguments: all)
        }

        /// A durable classic queue, optionally with a per-queue message TTL and a dead-letter target: a retry tier.
        public static func classic(
            _ name: String, messageTTL: Duration? = nil, deadLetterExchange: String? = nil,
            deadLetterRoutingKey: String? = nil
        ) -> Queue {
            var all: AMQPTable = ["x-queue-type": "classic"]
            if let messageTTL {
                let (seconds, attoseconds) = messageTTL.components
                all["x-message-ttl"] = .int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            }
            if let deadLetterExchange { all["x-dead-letter-exchange"] = .string(deadLetterExchange) }
            if let deadLetterRoutingKey { all["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
            return Queue(name, arguments: all)
        }
    }

    /// Binds a queue to an exchange with a routing key (a topic pattern for topic exchanges).
    public struct Binding: Sendable, Hashable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public var arguments: AMQPTable

        public init(queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
            self.arguments = arguments
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }
}
