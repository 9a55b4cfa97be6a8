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
    /// The service's broker user: only a copy whose broker-validated `user_id` is this one is the runtime's own.
    let ownUser: String?
    let store: SQLStore
    let clock: @Sendable () -> Date
    let logger: Logger

    init(
        connection: AMQPConnection, topology: ServiceTopology, ownUser: String?, store: SQLStore,
        clock: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.connection = connection
        self.topology = topology
        self.ownUser = ownUser
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        guard try await connection.declareUnlessShuttingDown(topology.amqpTopology) else { return }
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
        let copy = Self.copy(of: delivery, ownUser: ownUser)
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
    static func copy(of delivery: AMQPDelivery, ownUser: String?) -> ParkedStore.Copy {
        let properties = delivery.properties
        // The runtime's x-npq-* headers are believed only on its own copies, which carry the service's user as
        // user_id (the broker vouches for it); any other publisher's are kept as its words, not the runtime's.
        let own = ownUser != nil && properties.userID == ownUser
        let headers = properties.headers.compactMapValues(\.stringValue)
        let messageID =
            properties.messageID.flatMap { $0.isEmpty ? nil : String($0.prefix(255)) }
            ?? DerivedMessageID.make(from: delivery.body.base64EncodedString(), purpose: "body")
        var copy = ParkedStore.Copy(
            messageID: messageID, type: properties.type.map { String($0.prefix(200)) }, reason: .retriesExhausted,
            detail: "", fieldErrors: [], publisher: properties.userID, correlationID: properties.correlationID,
            replyTo: properties.replyTo, appID: properties.appID, exchange: nil, routingKey: nil,
            timestamp: properties.timestamp, headers: headers, body: delivery.body,
            replayCount: own ? headers[RuntimeHeader.replayCount].flatMap(Int.init) ?? 0 : 0)
        if case .array(let deaths)? = properties.headers["x-death"] {
            // Dead-lettered by the broker, with the message's own properties. The newest entry says why; the oldest,
            // where it was first published. A copy of the runtime's own (a retry or a replay) has its publisher in
            // the runtime's headers; any other message keeps its broker-validated user_id.
            let newest = Self.table(deaths.first)
            let oldest = Self.table(deaths.last)
            let why = newest["reason"]?.stringValue ?? "unknown"
            copy.reason = why == "delivery_limit" ? .deliveryLimit : .retriesExhausted
            copy.detail =
                "the broker dead-lettered it from \(newest["queue"]?.stringValue ?? "the service's queue") (\(why))"
                + (why == "delivery_limit"
                    ? ": delivered more often than the queue allows, so handling it probably stops the service" : "")
            if own {
                copy.publisher = headers[RuntimeHeader.originalPublisher]
                copy.exchange = headers[RuntimeHeader.originalExchange]
                copy.routingKey = headers[RuntimeHeader.originalRoutingKey]
            } else {
                copy.publisher = properties.userID
                copy.exchange = oldest["exchange"]?.stringValue
                if case .array(let keys)? = oldest["routing-keys"] { copy.routingKey = keys.first?.stringValue }
            }
        } else if own {
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
        } else {
            // Put in the parked queue by someone else (another service through the default exchange): kept, but
            // as its publisher, with nothing of its headers believed.
            copy.reason = .unauthorized
            copy.detail = "put in the parked queue directly by \(properties.userID ?? "an unnamed publisher")"
            copy.publisher = properties.userID
        }
        return copy
    }

    /// The table `value` holds, or an empty one.
    private static func table(_ value: AMQPFieldValue?) -> AMQPTable {
        if case .table(let table)? = value { return table }
        return [:]
    }
}
