import AMQP
import Logging
import MessageContracts
import ServiceLifecycle
import Synchronization

/// Declares the service's topology, then consumes its queue and hands each delivery to the ``MessageProcessor``,
/// one at a time.
///
/// On graceful shutdown it cancels the consumer (no new deliveries), finishes the message in hand, and returns;
/// deliveries already prefetched but not started stay unacknowledged and go back to the queue when the connection
/// closes, so shutdown takes one message's time, not a prefetch window's. The relay and the connection close after
/// it.
final class MessageConsumerService: Service, Sendable {
    let connection: AMQPConnection
    let topology: ServiceTopology
    let prefetch: UInt16
    let processor: MessageProcessor
    let declared: @Sendable () -> Void
    let logger: Logger

    init(
        connection: AMQPConnection, topology: ServiceTopology, prefetch: UInt16, processor: MessageProcessor,
        declared: @escaping @Sendable () -> Void, logger: Logger
    ) {
        self.connection = connection
        self.topology = topology
        self.prefetch = prefetch
        self.processor = processor
        self.declared = declared
        self.logger = logger
    }

    func run() async throws {
        // Waits for the broker if it is not up yet; the connection re-declares all of it after a reconnect.
        try await connection.declare(topology.amqpTopology)
        declared()
        let consumer = try await connection.consume(queue: topology.queue, prefetch: prefetch)
        let stopping = Atomic<Bool>(false)
        try await withGracefulShutdownHandler {
            for try await delivery in consumer {
                if stopping.load(ordering: .relaxed) { break }
                await processor.process(delivery)
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            Task { await consumer.cancel() }
        }
        logger.info("consumer stopped")
    }
}
