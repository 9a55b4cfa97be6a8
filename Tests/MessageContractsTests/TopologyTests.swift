import MessageContracts
import Testing

/// Queue and exchange names every service lays out the same way.
@Suite("Topology")
struct TopologyTests {
    @Test("Exchanges are npq.commands, npq.events and npq.dead-letter")
    func exchangeNames() {
        #expect(Topology.commandsExchange == "npq.commands")
        #expect(Topology.eventsExchange == "npq.events")
        #expect(Topology.deadLetterExchange == "npq.dead-letter")
    }

    @Test("A service's queues are named from the service name")
    func queueNames() {
        let topology = ServiceTopology(
            service: "applications",
            bindings: [
                TopologyBinding(exchange: Topology.commandsExchange, routingKey: "application.submit.v1"),
                .consuming(MessageRejected.self),
            ])
        #expect(topology.queue == "npq.applications")
        #expect(topology.parkedQueue == "npq.applications.parked")
        #expect(topology.parkedRoutingKey == "npq.applications.parked")
        #expect(topology.deliveryLimit == 5)
        #expect(topology.source == "urn:npq:service:applications")
        #expect(
            topology.retryTiers == [
                RetryTier(index: 1, delay: .seconds(5), queue: "npq.applications.retry.1"),
                RetryTier(index: 2, delay: .seconds(30), queue: "npq.applications.retry.2"),
                RetryTier(index: 3, delay: .seconds(300), queue: "npq.applications.retry.3"),
            ])
        #expect(topology.retryTiers.map(\.delayMilliseconds) == [5_000, 30_000, 300_000])
        #expect(
            topology.bindings == [
                TopologyBinding(exchange: "npq.commands", routingKey: "application.submit.v1"),
                TopologyBinding(exchange: "npq.events", routingKey: "message.rejected.v1"),
            ])
    }

    @Test("Retry tiers and delivery limit can be overridden")
    func overrides() {
        let topology = ServiceTopology(
            service: "senco",
            bindings: [TopologyBinding(exchange: "npq.events", routingKey: "application.submitted.v1")],
            retryDelays: [.milliseconds(500), .seconds(2)], deliveryLimit: 3)
        #expect(topology.retryTiers.map(\.queue) == ["npq.senco.retry.1", "npq.senco.retry.2"])
        #expect(topology.retryTiers.map(\.delayMilliseconds) == [500, 2_000])
        #expect(topology.deliveryLimit == 3)
        #expect(topology.bindings == [TopologyBinding(exchange: "npq.events", routingKey: "application.submitted.v1")])
    }

    @Test("After the last retry tier the message is parked")
    func retryLadder() {
        let topology = ServiceTopology(service: "cohorts", bindings: [])
        #expect(topology.retryTier(afterRetries: 0)?.index == 1)
        #expect(topology.retryTier(afterRetries: 2)?.index == 3)
        #expect(topology.retryTier(afterRetries: 3) == nil)
        #expect(topology.retryTier(afterRetries: -1) == nil)
    }
}
