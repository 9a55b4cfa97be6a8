import AMQP
import MessageContracts

extension ServiceTopology {
    /// The broker objects this service declares at start: the three shared exchanges, its quorum queue (delivery
    /// limit, dead-lettering to its parked queue), the retry tiers (TTL, dead-lettering back to the queue through
    /// the default exchange), the parked queue, and the bindings (the main queue's to `npq.dead-letter` takes the
    /// messages an operator replays).
    var amqpTopology: AMQPTopology {
        var queues: [AMQPTopology.Queue] = [
            .quorum(
                queue, deliveryLimit: deliveryLimit, deadLetterExchange: Topology.deadLetterExchange,
                deadLetterRoutingKey: parkedRoutingKey),
            .quorum(parkedQueue),
        ]
        for tier in retryTiers {
            queues.append(
                .classic(tier.queue, messageTTL: tier.delay, deadLetterExchange: "", deadLetterRoutingKey: queue))
        }
        var bindings = self.bindings.map {
            AMQPTopology.Binding(queue: queue, exchange: $0.exchange, routingKey: $0.routingKey)
        }
        bindings.append(.init(queue: parkedQueue, exchange: Topology.deadLetterExchange, routingKey: parkedRoutingKey))
        bindings.append(.init(queue: queue, exchange: Topology.deadLetterExchange, routingKey: replayRoutingKey))
        return AMQPTopology(
            exchanges: [
                .init(Topology.commandsExchange), .init(Topology.eventsExchange), .init(Topology.deadLetterExchange),
            ],
            queues: queues, bindings: bindings)
    }
}
