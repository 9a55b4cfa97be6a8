/// The queues one service declares, named from the service name so that every service lays out
/// the same shape: a main quorum queue, retry tiers with growing delays, and a parked queue.
///
/// These are plain values; the AMQP module turns them into declarations.
public struct ServiceTopology: Hashable, Sendable {
    /// The delays of the default retry tiers: 5 seconds, 30 seconds, 5 minutes.
    public static let defaultRetryDelays: [Duration] = [.seconds(5), .seconds(30), .seconds(300)]

    /// How many deliveries of one message the quorum queue allows before dead-lettering it.
    public static let defaultDeliveryLimit = 5

    /// The service name, e.g. `"applications"`.
    public let service: String

    /// The main quorum queue, e.g. `"npq.applications"`.
    public let queue: String

    /// Where messages that cannot be processed are kept for an operator, e.g. `"npq.applications.parked"`.
    public let parkedQueue: String

    /// The routing key on ``Topology/deadLetterExchange`` that reaches ``parkedQueue``; it is also
    /// the main queue's `x-dead-letter-routing-key`, so over-delivered messages end up parked.
    public let parkedRoutingKey: String

    /// The routing key on ``Topology/deadLetterExchange`` that reaches the main queue: where the service sends the
    /// parked messages an operator replays, e.g. `"npq.applications.replay"`.
    public let replayRoutingKey: String

    /// The retry ladder, shortest delay first.
    public let retryTiers: [RetryTier]

    /// The main queue's `x-delivery-limit`, which bounds poison messages that crash a consumer.
    public let deliveryLimit: Int

    /// Where the main queue listens, as given by the service.
    public let bindings: [TopologyBinding]

    /// Lays out the queues of `service`.
    ///
    /// - Parameters:
    ///   - service: lowercase words separated by hyphens, e.g. `"applications"`.
    ///   - bindings: the exchanges and routing keys the main queue binds on.
    ///   - retryDelays: one delay per retry tier, in order.
    ///   - deliveryLimit: the quorum queue's delivery limit, 1 or more.
    public init(
        service: String,
        bindings: [TopologyBinding],
        retryDelays: [Duration] = ServiceTopology.defaultRetryDelays,
        deliveryLimit: Int = ServiceTopology.defaultDeliveryLimit
    ) {
        precondition(
            MessageType.isValidName(service) && !service.contains("."),
            "service name '\(service)' must be lowercase words separated by hyphens")
        precondition(deliveryLimit >= 1, "delivery limit must be 1 or more, got \(deliveryLimit)")
        precondition(retryDelays.allSatisfy { $0 > .zero }, "retry delays must be positive")
        let queue = Topology.namePrefix + service
        self.service = service
        self.queue = queue
        self.parkedQueue = queue + ".parked"
        self.parkedRoutingKey = queue + ".parked"
        self.replayRoutingKey = queue + ".replay"
        self.retryTiers = retryDelays.enumerated().map { offset, delay in
            RetryTier(index: offset + 1, delay: delay, queue: "\(queue).retry.\(offset + 1)")
        }
        self.deliveryLimit = deliveryLimit
        self.bindings = bindings
    }

    /// The CloudEvents source of messages this service publishes, e.g. `"urn:npq:service:applications"`.
    public var source: String {
        Envelope.source(forService: service)
    }

    /// The tier a message goes to after it has already been retried `retryCount` times, or `nil`
    /// when the ladder is exhausted and the message must be parked.
    public func retryTier(afterRetries retryCount: Int) -> RetryTier? {
        guard retryCount >= 0, retryCount < retryTiers.count else { return nil }
        return retryTiers[retryCount]
    }
}
