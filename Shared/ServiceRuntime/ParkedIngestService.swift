import AMQP
import Foundation
import Logging
import MessageContracts
import ServiceLifecycle

/// Consumes the service's parked queue into its database (``ParkedStore``), where operators list, replay and purge
/// the messages with `npq parked` — the queue itself only carries them there.
///
/// Copies come from the service itself (a rejection: `x-npq-rejection` headers) or from the broker (a message over
/// the main queue's delivery limit: `x-first-death-*` headers). Each is acked once its row is committed. A database
/// that refuses the write is tried again after a pause, holding the delivery rather than returning it: a quorum
/// queue counts returned deliveries, and a parked message has nowhere further to go.
final class ParkedIngestService: Service, Sendable {
    let connection: AMQPConnection
    let topology: ServiceTopology
    let store: SQLStore
    let clock: @Sendable () -> Date
    let logger: Logger

    init(
        connection: AMQPConnection, topology: ServiceTopology, store: SQLStore, clock: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.connection = connection
        self.topology = topology
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        // The consumer service declares the topology; waiting for the broker here ends with a shutdown.
        do {
            try await cancelWhenGracefulShutdown {
                try await self.connection.declare(self.topology.amqpTopology)
            }
        } catch let error as AMQPError where error.code == .cancelled {
            return
        } catch is CancellationError {
            return
        }
        let consumer = try await connection.consume(queue: topology.parkedQueue, prefetch: 32)
        do {
            try await cancelWhenGracefulShutdown {
                for try await delivery in consumer {
                    await self.ingest(delivery)
                }
            }
        } catch is CancellationError {
            // The shutdown: a delivery not yet recorded goes back to the queue with the connection.
        }
        await consumer.cancel()
    }

    private func ingest(_ delivery: AMQPDelivery) async {
        let copy = Self.copy(of: delivery)
        var pause = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let now = clock()
                let outcome = try await store.transaction { database in
                    try await ParkedStore.ingest(copy, at: now, in: database)
                }
                if outcome != .duplicate {
                    logger.info(
                        "message parked",
                        metadata: [
                            LogKey.messageID: "\(copy.messageID)", "reason": "\(copy.reason.rawValue)",
                            "again": "\(outcome == .parkedAgain)",
                        ])
                }
                try? await delivery.ack()
                return
            } catch {
                logger.warning(
                    "could not record a parked message; trying again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
        }
    }

    /// What the table keeps of a copy.
    static func copy(of delivery: AMQPDelivery) -> ParkedStore.Copy {
        let properties = delivery.properties
        let headers = properties.headers.compactMapValues(\.stringValue)
        let messageID =
            properties.messageID.flatMap { $0.isEmpty ? nil : String($0.prefix(255)) }
            ?? DerivedMessageID.make(from: delivery.body.base64EncodedString(), purpose: "body")
        var copy = ParkedStore.Copy(
            messageID: messageID, type: properties.type.map { String($0.prefix(200)) }, reason: .retriesExhausted,
            detail: "", fieldErrors: [], publisher: properties.userID, correlationID: properties.correlationID,
            replyTo: properties.replyTo, appID: properties.appID, exchange: nil, routingKey: nil,
            timestamp: properties.timestamp, headers: headers, body: delivery.body,
            replayCount: headers[RuntimeHeader.replayCount].flatMap(Int.init) ?? 0)
        if case .array(let deaths)? = properties.headers["x-death"] {
            // Dead-lettered by the broker (the runtime never sends an array header), with the message's own
            // properties. The newest entry says why; the oldest, where it was first published. Only a message the
            // service itself moved to a retry tier (first published to the default exchange, which integrators may
            // not write to) has its publisher in the runtime's headers; any other keeps the broker-validated user_id.
            let newest = Self.table(deaths.first)
            let oldest = Self.table(deaths.last)
            let why = newest["reason"]?.stringValue ?? "unknown"
            copy.reason = why == "delivery_limit" ? .deliveryLimit : .retriesExhausted
            copy.detail =
                "the broker dead-lettered it from \(newest["queue"]?.stringValue ?? "the service's queue") (\(why)): "
                + "delivered more often than the queue allows, so handling it probably stops the service"
            let firstExchange = oldest["exchange"]?.stringValue
            if firstExchange == "" {
                copy.publisher = headers[RuntimeHeader.originalPublisher]
                copy.exchange = headers[RuntimeHeader.originalExchange]
                copy.routingKey = headers[RuntimeHeader.originalRoutingKey]
            } else {
                copy.exchange = firstExchange
                if case .array(let keys)? = oldest["routing-keys"] { copy.routingKey = keys.first?.stringValue }
            }
        } else {
            // A copy the service published when it refused the message: the runtime wrote the rejection and the
            // original publisher, exchange and routing key over whatever headers the message came with.
            copy.reason = headers[EnvelopeHeader.rejectionReason].flatMap(RejectionReason.init) ?? .undecodable
            copy.detail = headers[EnvelopeHeader.rejectionDetail] ?? ""
            copy.fieldErrors =
                headers[EnvelopeHeader.rejectionFields].flatMap {
                    try? JSONDecoder().decode([FieldError].self, from: Data($0.utf8))
                } ?? []
            copy.publisher = headers[RuntimeHeader.originalPublisher]
            copy.exchange = headers[RuntimeHeader.originalExchange]
            copy.routingKey = headers[RuntimeHeader.originalRoutingKey]
        }
        return copy
    }

    /// The table `value` holds, or an empty one.
    private static func table(_ value: AMQPFieldValue?) -> AMQPTable {
        if case .table(let table)? = value { return table }
        return [:]
    }
}
