import AMQP
import Logging
import MessageContracts
import Metrics
import ServiceLifecycle
import Synchronization

/// Declares the service's topology, then consumes its queue and hands the deliveries to the ``MessageProcessor``
/// in batches: whatever has arrived while the previous batch was handled, up to ``maxBatch``, goes into one
/// transaction (``MessageProcessor/process(batch:)``). Under light load a batch is one message; under heavy load
/// the cost of a transaction, its acks and the relay's wake-up is shared by many.
///
/// On graceful shutdown it cancels the consumer (no new deliveries), finishes the batch in hand, and returns;
/// deliveries already prefetched but not started stay unacknowledged and go back to the queue when the connection
/// closes, so shutdown takes one batch's time, not a prefetch window's. A batch still in hand after the grace
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
    /// The most deliveries handled in one transaction (`NPQ_CONSUMER_BATCH`).
    let maxBatch: Int

    init(
        connection: AMQPConnection, topology: ServiceTopology, prefetch: UInt16, maxBatch: Int,
        processor: MessageProcessor,
        declared: @escaping @Sendable () -> Void, gracePeriod: Duration, logger: Logger
    ) {
        self.connection = connection
        self.topology = topology
        self.prefetch = prefetch
        self.maxBatch = max(1, maxBatch)
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
        let inbox = DeliveryInbox()
        let maxBatch = self.maxBatch
        // Moves deliveries from the consumer into the inbox as they arrive, so the loop can take all that are
        // waiting at once. Both run on the store's writer thread: a delivery wakes that one thread, which hands it to
        // the loop and runs the batch's transaction, with no hop through the cooperative pool. Both end before run()
        // returns, so neither is left on the thread once the store closes it.
        let executor = processor.store.writerExecutor
        let pump = Task(executorPreference: executor) {
            do {
                for try await delivery in consumer { inbox.add(delivery) }
                inbox.finish(nil)
            } catch {
                inbox.finish(error)
            }
        }
        // Messages handled over batches taken is the mean batch size.
        let batches = Counter(label: "npq_consumer_batches_total", dimensions: [("service", topology.service)])
        let loop = Task(executorPreference: executor) {
            defer { pump.cancel() }
            while true {
                let batch = try await inbox.take(max: maxBatch)
                if batch.isEmpty || stopping.load(ordering: .relaxed) { break }
                batches.increment()
                await processor.process(batch: batch)
            }
        }
        let gracePeriod = self.gracePeriod
        let outcome: Result<Void, any Error>
        do {
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
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // The loop cancelled the pump as it ended; wait for it to leave the store's thread.
        await pump.value
        try outcome.get()
        logger.info("consumer stopped")
    }
}

/// Deliveries received and not yet taken, for a single taker that wants all that are waiting at once.
final class DeliveryInbox: Sendable {
    private struct State {
        var items: [AMQPDelivery] = []
        /// Whether the consumer's sequence has ended, and what it threw if it did.
        var ended = false
        var error: (any Error)?
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func add(_ delivery: AMQPDelivery) {
        let waiter = state.withLock { state in
            state.items.append(delivery)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The consumer's sequence ended, with `error` when it threw.
    func finish(_ error: (any Error)?) {
        let waiter = state.withLock { state in
            state.ended = true
            state.error = error
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Up to `max` deliveries, in arrival order, waiting for the first if none is there. Empty once the sequence
    /// has ended (after the last delivery) or the task is cancelled; throws the sequence's error after the last
    /// delivery.
    func take(max: Int) async throws -> [AMQPDelivery] {
        while true {
            let taken: Result<[AMQPDelivery], any Error>? = state.withLock { state in
                if !state.items.isEmpty {
                    let count = min(max, state.items.count)
                    let batch = Array(state.items.prefix(count))
                    state.items.removeFirst(count)
                    return .success(batch)
                }
                guard state.ended else { return nil }
                if let error = state.error { return .failure(error) }
                return .success([])
            }
            if let taken { return try taken.get() }
            if Task.isCancelled { return [] }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { state in
                        if !state.items.isEmpty || state.ended || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }
}
