/// Deliveries from one queue, as an `AsyncSequence`. Settle each with ``AMQPDelivery/ack(multiple:)`` and friends.
///
/// The sequence ends when the consumer is cancelled or the connection closed, and throws
/// ``AMQPError/Code/consumerCancelled`` when the broker cancelled it for good (its queue was deleted).
public struct AMQPConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery

    let id: UInt64
    /// The queue consumed from.
    public let queue: String
    let stream: AsyncThrowingStream<AMQPDelivery, any Error>
    let worker: AMQPConnectionWorker

    public func makeAsyncIterator() -> AsyncThrowingStream<AMQPDelivery, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Stops new deliveries (`basic.cancel`) and ends the sequence. Deliveries already received can still be
    /// settled; unsettled ones go back to the queue when the connection closes.
    public func cancel() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            worker.submit(.cancelConsumer(id: id, completion: { continuation.resume() }))
        }
    }
}
