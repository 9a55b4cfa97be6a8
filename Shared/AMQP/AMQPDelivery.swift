import Foundation

/// A message delivered to a consumer. Settle it exactly once with ``ack()``, ``nack(requeue:)`` or
/// ``reject(requeue:)``; a delivery left unsettled is redelivered when its channel closes.
public struct AMQPDelivery: Sendable {
    public var body: Data
    public var properties: AMQPProperties
    public var exchange: String
    public var routingKey: String
    /// True when the broker delivered this message before (to this or another consumer) without an ack.
    public var redelivered: Bool
    public var deliveryTag: UInt64
    /// Which channel incarnation delivered the message: settling it on a later one would settle another message.
    let settlement: AMQPSettlementHandle

    /// Acknowledges the message: the broker forgets it. Throws ``AMQPError/Code/staleDelivery`` when the channel
    /// that delivered it has closed since (the broker will deliver it again).
    nonisolated(nonsending) public func ack(multiple: Bool = false) async throws(AMQPError) {
        try await settlement.settle(.ack(multiple: multiple), tag: deliveryTag)
    }

    /// Negatively acknowledges the message: requeued, or dead-lettered when `requeue` is false.
    nonisolated(nonsending) public func nack(requeue: Bool, multiple: Bool = false) async throws(AMQPError) {
        try await settlement.settle(.nack(requeue: requeue, multiple: multiple), tag: deliveryTag)
    }

    /// Rejects the message: requeued, or dead-lettered when `requeue` is false.
    nonisolated(nonsending) public func reject(requeue: Bool) async throws(AMQPError) {
        try await settlement.settle(.reject(requeue: requeue), tag: deliveryTag)
    }
}

/// How a delivery is settled.
enum AMQPSettlement: Sendable {
    case ack(multiple: Bool)
    case nack(requeue: Bool, multiple: Bool)
    case reject(requeue: Bool)
}

/// Ties a delivery to the consumer channel incarnation that delivered it.
struct AMQPSettlementHandle: Sendable {
    let worker: AMQPConnectionWorker
    let consumerID: UInt64
    let channelIncarnation: UInt64

    /// Refuses a stale delivery at once; otherwise hands the settlement to the connection's thread without waiting
    /// for it to be written (the thread checks again, so a delivery whose channel closes meanwhile is never settled
    /// on a new one). Not waiting keeps a consumer's loop from stalling on a thread hop per message.
    nonisolated(nonsending) func settle(_ settlement: AMQPSettlement, tag: UInt64) async throws(AMQPError) {
        guard worker.isLive(channelIncarnation) else {
            throw AMQPError(.staleDelivery, context: "settle delivery \(tag)")
        }
        worker.submit(
            .settle(consumerID: consumerID, incarnation: channelIncarnation, tag: tag, settlement, completion: { _ in })
        )
    }
}
