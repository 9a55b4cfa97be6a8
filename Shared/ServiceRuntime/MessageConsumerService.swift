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
/// closes, so shutdown takes one message's time, not a prefetch window's. A message still in hand after the grace
/// period (say, waiting for a broker that is down) is abandoned — its transaction rolls back and the broker
/// redelivers it. The relay and the connection close after it.
final class MessageConsumerService: Service, Sendable {
    let connection: AMQPConnection
    let topology: ServiceTopology
    let prefetch: UInt16
    let processor: MessageProcessor
    let declared: @Sendable () -> Void
    let gracePeriod: Duration
    let logger: Logger

    init(
        connection: AMQPConnection, topology: ServiceTopology, prefetch: UInt16, processor: MessageProcessor,
        declared: @escaping @Sendable () -> Void, gracePeriod: Duration, logger: Logger
    ) {
        self.connection = connection
        self.topology = topology
        self.prefetch = prefetch
        self.processor = processor
        self.declared = declared
        self.gracePeriod = gracePeriod
        self.logger = logger
    }

    func run() async throws {
        guard try await connection.declareUnlessShuttingDown(topology.amqpTopology) else { return }
        declared()
        let consumer = try await connection.consume(queue: topology.queue, prefetch: prefetch)
        let stopping = Atomic<Bool>(false)
        let processor = self.processor
        let loop = Task {
            for try await delivery in consumer {
                if stopping.load(ordering: .relaxed) { break }
                await processor.process(delivery)
            }
        }
        let gracePeriod = self.gracePeriod
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await loop.value
            } onCancel: {
                loop.cancel()
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            Task { await consumer.cancel() }
            Task {
                try? await Task.sleep(for: gracePeriod)
                loop.cancel()
            }
        }
        logger.info("consumer stopped")
    }
}
