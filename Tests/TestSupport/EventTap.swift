import AMQP
import Foundation
import MessageContracts

/// Listens on `npq.events` (and any other exchange) for the routing keys a test cares about, through a queue of its
/// own, and keeps every delivery for the test to inspect.
public final class EventTap: Sendable {
    public struct Received: Sendable {
        public let routingKey: String
        public let properties: AMQPProperties
        public let body: Data
    }

    private let connection: AMQPConnection
    private let queue: String
    private let store: Store
    private let task: Task<Void, Never>

    actor Store {
        var received: [Received] = []
        func add(_ item: Received) { received.append(item) }
    }

    /// Starts listening; `bindings` are (exchange, routing key) pairs.
    public init(connection: AMQPConnection, bindings: [(String, String)]) async throws {
        self.connection = connection
        let queue = TestBroker.uniqueName("tap")
        self.queue = queue
        let store = Store()
        self.store = store
        try await connection.declare(
            AMQPTopology(
                exchanges: [
                    .init(Topology.eventsExchange), .init(Topology.commandsExchange),
                    .init(Topology.deadLetterExchange),
                ],
                queues: [.init(queue, durable: false, exclusive: true, autoDelete: true)],
                bindings: bindings.map { .init(queue: queue, exchange: $0.0, routingKey: $0.1) }))
        let consumer = try await connection.consume(queue: queue, prefetch: 500)
        task = Task {
            do {
                for try await delivery in consumer {
                    await store.add(
                        Received(routingKey: delivery.routingKey, properties: delivery.properties, body: delivery.body))
                    try? await delivery.ack()
                }
            } catch {}
        }
    }

    /// Everything received so far.
    public var received: [Received] { get async { await store.received } }

    /// Decoded payloads of contract `M` received so far.
    public func payloads<M: MessageContract>(_ contract: M.Type) async -> [M] {
        await received.filter { $0.properties.type == M.typeName }.compactMap {
            try? ContractDecoder.decode(M.self, from: $0.body)
        }
    }

    public func stop() { task.cancel() }
}
