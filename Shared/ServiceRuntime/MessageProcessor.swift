import AMQP
import Foundation
import Logging
import MessageContracts
import Metrics
import Synchronization

/// Handles one delivery from the service's queue, exactly once in effect, and settles it.
///
/// 1. Checks the body size, reads the envelope, finds the handler for the `type` and checks that the routing key
///    matches it (the broker's topic permissions are on routing keys, so a type smuggled under another key is
///    refused).
/// 2. In one transaction: skips a message id this consumer has already handled (a redelivery or a replay),
///    otherwise runs the handler, records the inbox entry and stores the handler's outgoing messages in the
///    outbox. Acks after the commit.
/// 3. A ``MessageRejection`` (or a body that breaks its contract) is final: in one transaction the inbox entry, a
///    parked copy with `x-npq-rejection` headers, a `message.rejected` event and, when asked, a reply.
/// 4. Any other error is taken as transient: the message goes to the next retry tier (a queue whose TTL sends it
///    back), and is parked with `retries_exhausted` after the last one.
/// 5. A redelivered message whose handling has already started (and never finished: the service died) as often as
///    the delivery limit allows is parked with `delivery_limit` before its handler runs again.
final class MessageProcessor: Sendable {
    /// What became of a delivery.
    enum Outcome: String, Sendable {
        case handled, duplicate, rejected, retried, parked, requeued
    }

    let service: ServiceTopology
    let consumerName: String
    let router: MessageRouter
    let store: SQLStore
    let connection: AMQPConnection
    /// The service's broker user: a delivery whose broker-validated `user_id` is this one is the runtime's own copy.
    let ownUser: String?
    let logger: Logger
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    let afterCommit: (@Sendable (String) -> Void)?
    let onCommit: @Sendable () -> Void
    /// Made once: creating a metric looks it up in the registry under a lock, which the consumer loop need not
    /// pay per message.
    private let handlerDuration: Timer
    private let counters = Mutex<[String: Counter]>([:])

    /// `npq_messages_total` for a type (registered types only, so hostile input cannot grow the label set) and an
    /// outcome.
    private func messagesCounter(type: String, outcome: Outcome) -> Counter {
        counters.withLock { counters in
            let key = "\(type) \(outcome.rawValue)"
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: "npq_messages_total",
                dimensions: [("service", service.service), ("type", type), ("outcome", outcome.rawValue)])
            counters[key] = counter
            return counter
        }
    }

    init(
        service: ServiceTopology, router: MessageRouter, store: SQLStore, connection: AMQPConnection,
        ownUser: String?, logger: Logger,
        clock: @escaping @Sendable () -> Date, maxBodyBytes: Int, afterCommit: (@Sendable (String) -> Void)?,
        onCommit: @escaping @Sendable () -> Void
    ) {
        self.service = service
        self.consumerName = service.queue
        self.router = router
        self.store = store
        self.connection = connection
        self.ownUser = ownUser
        self.logger = logger
        self.clock = clock
        self.maxBodyBytes = maxBodyBytes
        self.afterCommit = afterCommit
        self.onCommit = onCommit
        self.handlerDuration = Timer(label: "npq_handler_duration_seconds", dimensions: [("service", service.service)])
    }

    /// Facts about a delivery that do not depend on decoding its body.
    private struct Arrival {
        let delivery: AMQPDelivery
        /// The message id, or one derived from the body when the publisher gave none.
        let key: String
        let publisher: String?
        let routingKey: String
        let exchange: String
        let retryCount: Int
        /// Which operator replay of the message this is (0: as first published).
        let replayCount: Int
        /// Whether the runtime itself republished it (a retry or a replay), so that its x-npq-* headers are its own.
        let viaRuntime: Bool
        let now: Date
    }

    @discardableResult
    func process(_ delivery: AMQPDelivery) async -> Outcome {
        let start = ContinuousClock.now
        let arrival = arrivalFacts(delivery)
        var logger = self.logger
        logger[metadataKey: LogKey.messageID] = "\(arrival.key)"
        if let correlation = delivery.properties.correlationID {
            logger[metadataKey: LogKey.correlationID] = "\(correlation)"
        }
        let type = delivery.properties.type ?? ""
        let known = router.route(for: type) != nil
        logger[metadataKey: LogKey.messageType] = "\(known ? type : "unknown")"

        let outcome = await decideAndApply(arrival, logger: logger)
        let elapsed = ContinuousClock.now - start
        messagesCounter(type: known ? type : "unknown", outcome: outcome).increment()
        handlerDuration.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        logger.debug("message processed", metadata: ["outcome": "\(outcome.rawValue)"])
        return outcome
    }

    private func arrivalFacts(_ delivery: AMQPDelivery) -> Arrival {
        let properties = delivery.properties
        // The runtime's own copies (a retry through the default exchange, a replay through npq.dead-letter) carry the
        // service's user as user_id, which the broker vouches for; only then are their x-npq-* headers believed.
        let viaRuntime =
            ownUser != nil && properties.userID == ownUser
            && (delivery.exchange.isEmpty
                || (delivery.exchange == Topology.deadLetterExchange
                    && delivery.routingKey == service.replayRoutingKey))
        let headers = properties.headers
        func header(_ name: String) -> String? { viaRuntime ? headers[name]?.stringValue : nil }
        let key =
            properties.messageID.flatMap { $0.isEmpty ? nil : $0 }
            ?? DerivedMessageID.make(from: delivery.body.base64EncodedString(), purpose: "body")
        return Arrival(
            delivery: delivery, key: key,
            publisher: viaRuntime ? header(RuntimeHeader.originalPublisher) : properties.userID,
            routingKey: header(RuntimeHeader.originalRoutingKey) ?? delivery.routingKey,
            exchange: header(RuntimeHeader.originalExchange) ?? delivery.exchange,
            retryCount: header(EnvelopeHeader.retryCount).flatMap(Int.init) ?? 0,
            replayCount: header(RuntimeHeader.replayCount).flatMap(Int.init) ?? 0, viaRuntime: viaRuntime,
            now: clock())
    }

    private func decideAndApply(_ arrival: Arrival, logger: Logger) async -> Outcome {
        let delivery = arrival.delivery
        guard delivery.body.count <= maxBodyBytes else {
            return await reject(
                arrival,
                MessageRejection(
                    .tooLarge, detail: "the body is \(delivery.body.count) bytes; the limit is \(maxBodyBytes)"),
                logger: logger)
        }
        let envelope: Envelope
        do {
            envelope = try Envelope(delivery: delivery, receivedAt: arrival.now)
        } catch {
            return await reject(
                arrival, MessageRejection(.invalidFields, detail: error.message, fieldErrors: [error.fieldError]),
                logger: logger)
        }
        guard let route = router.route(for: envelope.type) else {
            return await reject(
                arrival,
                MessageRejection(
                    .unknownType,
                    detail: "service \(service.service) does not handle messages of type '\(envelope.type)'"),
                logger: logger)
        }
        guard arrival.routingKey == route.routingKey else {
            return await reject(
                arrival,
                .unauthorized(
                    "a message of type '\(envelope.type)' must be published with routing key '\(route.routingKey)'"),
                logger: logger)
        }

        // A redelivered message may be the one that killed the service. Count the times its handling starts after
        // a redelivery, committed before the handler runs: the poison's count grows with each crash, while messages
        // that were merely prefetched behind it were never started. Parked on the last delivery the queue allows.
        if delivery.redelivered {
            do {
                let consumer = consumerName
                let started = try await store.transaction { database -> Int? in
                    if try await MessageStore.alreadyHandled(arrival.key, consumer: consumer, in: database) {
                        return nil
                    }
                    return try await MessageStore.recordAttempt(arrival.key, consumer: consumer, in: database)
                }
                guard let started else { return await settle(arrival, outcome: .duplicate) }
                if started > service.deliveryLimit {
                    return await reject(
                        arrival,
                        MessageRejection(
                            .deliveryLimit,
                            detail: "handling it stopped the service \(started - 1) times; it is set aside so that the "
                                + "service keeps running"),
                        logger: logger)
                }
            } catch {
                return await retry(arrival, error: error, logger: logger)
            }
        }

        let consumer = consumerName
        let source = service.source
        let appID = "npq-\(service.service)"
        do {
            let outcome = try await store.transaction { database -> Outcome in
                if try await MessageStore.alreadyHandled(arrival.key, consumer: consumer, in: database) {
                    return .duplicate
                }
                let context = HandlerContext(
                    database: database, now: arrival.now, logger: logger, envelope: envelope, source: source,
                    appID: appID)
                try await route.run(delivery.body, envelope, arrival.publisher, arrival.retryCount, context)
                try await MessageStore.recordHandled(
                    arrival.key, type: envelope.type, consumer: consumer, outcome: "handled", at: arrival.now,
                    in: database)
                try await MessageStore.enqueue(context.messages, at: arrival.now, in: database)
                return .handled
            }
            return await settle(arrival, outcome: outcome)
        } catch let rejection as MessageRejection {
            return await reject(arrival, rejection, logger: logger)
        } catch {
            return await retry(arrival, error: error, logger: logger)
        }
    }

    // MARK: - Batches

    /// A delivery that passed every check that needs no database, ready to be handled in a batch.
    private struct Screened {
        let arrival: Arrival
        let envelope: Envelope
        let route: MessageRouter.Route
        let logger: Logger
    }

    /// What became of one message of a batch inside its transaction.
    private enum BatchResult: Sendable {
        case handled, duplicate
        case rejected(MessageRejection)
        case failed(String)
    }

    /// Handles deliveries that arrived together, in their order, with the same effect as ``process(_:)`` on each
    /// one after the other but in as few transactions as possible.
    ///
    /// A run of ordinary deliveries is handled in one transaction, each message inside a savepoint of its own: one
    /// whose handler refuses it or fails is rolled back to its savepoint alone, and after the commit it is parked
    /// or retried exactly as ``process(_:)`` would. Every delivery of the run is acknowledged only after the
    /// commit. A redelivered message, and one that fails a check before its handler (size, envelope, type, routing
    /// key), goes through ``process(_:)`` on its own, in its place in the order. Should the transaction itself
    /// fail, each message of the run goes through ``process(_:)`` in turn.
    func process(batch deliveries: [AMQPDelivery]) async {
        if deliveries.count == 1 {
            await process(deliveries[0])
            return
        }
        var run: [Screened] = []
        for delivery in deliveries {
            if let screened = screen(delivery) {
                run.append(screened)
                continue
            }
            await handle(run)
            run.removeAll()
            await process(delivery)
        }
        await handle(run)
    }

    /// The delivery ready for a batch, or `nil` when it needs ``process(_:)`` on its own.
    private func screen(_ delivery: AMQPDelivery) -> Screened? {
        guard !delivery.redelivered, delivery.body.count <= maxBodyBytes else { return nil }
        let arrival = arrivalFacts(delivery)
        guard let envelope = try? Envelope(delivery: delivery, receivedAt: arrival.now),
            let route = router.route(for: envelope.type), arrival.routingKey == route.routingKey
        else { return nil }
        var logger = self.logger
        logger[metadataKey: LogKey.messageID] = "\(arrival.key)"
        if let correlation = delivery.properties.correlationID {
            logger[metadataKey: LogKey.correlationID] = "\(correlation)"
        }
        logger[metadataKey: LogKey.messageType] = "\(envelope.type)"
        return Screened(arrival: arrival, envelope: envelope, route: route, logger: logger)
    }

    /// One transaction for the run, then the acks, then the refused and failed messages one by one.
    private func handle(_ run: [Screened]) async {
        guard !run.isEmpty else { return }
        let start = ContinuousClock.now
        let consumer = consumerName
        let source = service.source
        let appID = "npq-\(service.service)"
        let results: [BatchResult]
        do {
            results = try await store.transaction { database in
                var results: [BatchResult] = []
                results.reserveCapacity(run.count)
                for item in run {
                    let arrival = item.arrival
                    if try await MessageStore.alreadyHandled(arrival.key, consumer: consumer, in: database) {
                        results.append(.duplicate)
                        continue
                    }
                    try await database.raw("SAVEPOINT npq_message").run()
                    do {
                        let context = HandlerContext(
                            database: database, now: arrival.now, logger: item.logger, envelope: item.envelope,
                            source: source, appID: appID)
                        try await item.route.run(
                            arrival.delivery.body, item.envelope, arrival.publisher, arrival.retryCount, context)
                        try await MessageStore.recordHandled(
                            arrival.key, type: item.envelope.type, consumer: consumer, outcome: "handled",
                            at: arrival.now, in: database)
                        try await MessageStore.enqueue(context.messages, at: arrival.now, in: database)
                        try await database.raw("RELEASE npq_message").run()
                        results.append(.handled)
                    } catch {
                        // A failure here undoes this message's writes only; a failure to undo them ends the batch.
                        try await database.raw("ROLLBACK TO npq_message").run()
                        try await database.raw("RELEASE npq_message").run()
                        if let rejection = error as? MessageRejection {
                            results.append(.rejected(rejection))
                        } else {
                            let wrapped = SQLStoreError.wrapping(error, while: "transaction")
                            results.append(.failed(String(String(describing: wrapped).prefix(300))))
                        }
                    }
                }
                return results
            }
        } catch {
            // Nothing of the run was committed. A service shutting down leaves the deliveries to come back;
            // otherwise each message goes the single way, which retries or parks it as its own error calls for.
            if Task.isCancelled { return }
            logger.warning(
                "a batch of messages could not be committed; handling them one at a time",
                metadata: ["count": "\(run.count)", "error": "\(error)"])
            for item in run { await process(item.arrival.delivery) }
            return
        }

        let settled = zip(run, results).filter {
            switch $0.1 {
            case .handled, .duplicate: true
            case .rejected, .failed: false
            }
        }
        for (item, _) in settled { afterCommit?(item.arrival.key) }
        if settled.contains(where: { if case .handled = $0.1 { true } else { false } }) { onCommit() }
        // A stale delivery (the connection dropped) comes back and is skipped as a duplicate.
        for (item, _) in settled { try? await item.arrival.delivery.ack() }

        let share = (ContinuousClock.now - start) / run.count
        for (item, result) in zip(run, results) {
            let outcome: Outcome
            switch result {
            case .handled: outcome = .handled
            case .duplicate: outcome = .duplicate
            case .rejected(let rejection): outcome = await reject(item.arrival, rejection, logger: item.logger)
            case .failed(let error):
                outcome = await retry(item.arrival, error: BatchFailure(text: error), logger: item.logger)
            }
            messagesCounter(type: item.envelope.type, outcome: outcome).increment()
            handlerDuration.recordNanoseconds(
                share.components.seconds * 1_000_000_000 + share.components.attoseconds / 1_000_000_000)
            item.logger.debug("message processed", metadata: ["outcome": "\(outcome.rawValue)"])
        }
    }

    /// A handler's error inside a batch, kept as its description (the retry records only that).
    private struct BatchFailure: Error, CustomStringConvertible {
        let text: String
        var description: String { text }
    }

    /// After a commit: the fault-injection hook, wake the relay, ack.
    private func settle(_ arrival: Arrival, outcome: Outcome) async -> Outcome {
        afterCommit?(arrival.key)
        onCommit()
        // A stale delivery (the connection dropped) comes back and is skipped as a duplicate.
        try? await arrival.delivery.ack()
        return outcome
    }

    // MARK: - Rejection

    private func reject(_ arrival: Arrival, _ rejection: MessageRejection, logger: Logger) async -> Outcome {
        logger.notice(
            "message rejected",
            metadata: ["reason": "\(rejection.reason.rawValue)", "fields": "\(rejection.fieldErrors.map(\.field))"])
        let messages = rejectionMessages(arrival, rejection)
        let consumer = consumerName
        do {
            let outcome = try await store.transaction { database -> Outcome in
                if try await MessageStore.alreadyHandled(arrival.key, consumer: consumer, in: database) {
                    return .duplicate
                }
                try await MessageStore.recordHandled(
                    arrival.key, type: arrival.delivery.properties.type.map { String($0.prefix(200)) },
                    consumer: consumer, outcome: "rejected: \(rejection.reason.rawValue)", at: arrival.now,
                    in: database)
                try await MessageStore.enqueue(messages, at: arrival.now, in: database)
                return rejection.reason == .retriesExhausted ? .parked : .rejected
            }
            return await settle(arrival, outcome: outcome)
        } catch {
            // The database is unavailable: park directly (at least once; the ids are derived, so consumers of
            // message.rejected drop a second copy).
            logger.warning("could not record the rejection; parking directly", metadata: ["error": "\(error)"])
            let ownUser = self.ownUser
            let results = await connection.publish(
                messages.map {
                    var message = $0.amqpMessage
                    message.properties.userID = ownUser
                    return message
                })
            if results.allSatisfy({ if case .success = $0 { true } else { false } }) {
                try? await arrival.delivery.ack()
                return rejection.reason == .retriesExhausted ? .parked : .rejected
            }
            return await requeueLater(arrival)
        }
    }

    /// The parked copy, the `message.rejected` event and, when the sender asked for one, the reply.
    private func rejectionMessages(_ arrival: Arrival, _ rejection: MessageRejection) -> [OutgoingMessage] {
        let properties = arrival.delivery.properties
        let event = MessageRejected(
            originalMessageID: properties.messageID.map { String($0.prefix(200)) },
            originalType: properties.type.map { String($0.prefix(200)) },
            correlationID: properties.correlationID.map { String($0.prefix(200)) }, service: service.service,
            reason: rejection.reason, detail: rejection.detail,
            fieldErrors: Array(rejection.fieldErrors.prefix(MessageRejected.maxFieldErrors)), rejectedAt: arrival.now)

        // A publisher's own x-npq-* headers would mislead the operator; the runtime's (retry history) are kept.
        var parkedHeaders = properties.headers.compactMapValues(\.stringValue).filter {
            arrival.viaRuntime || !$0.key.hasPrefix("x-npq-")
        }
        parkedHeaders[EnvelopeHeader.rejectionFields] = nil
        for (key, value) in event.rejectionHeaders { parkedHeaders[key] = value }
        if arrival.replayCount > 0 { parkedHeaders[RuntimeHeader.replayCount] = "\(arrival.replayCount)" }
        parkedHeaders[RuntimeHeader.originalPublisher] = arrival.publisher
        parkedHeaders[RuntimeHeader.originalExchange] = arrival.exchange
        parkedHeaders[RuntimeHeader.originalRoutingKey] = arrival.routingKey
        let parked = OutgoingMessage(
            exchange: Topology.deadLetterExchange, routingKey: service.parkedRoutingKey, messageID: arrival.key,
            type: properties.type, correlationID: properties.correlationID, replyTo: properties.replyTo,
            appID: properties.appID, timestamp: properties.timestamp ?? arrival.now, headers: parkedHeaders,
            body: arrival.delivery.body, mandatory: true)

        let correlation = properties.correlationID ?? arrival.key
        var envelope = Envelope.new(
            type: MessageRejected.typeName, source: service.source, appID: "npq-\(service.service)",
            correlationID: correlation, causationID: arrival.key, time: arrival.now)
        // A replay refused again is a new rejection, with an id of its own.
        let purpose = arrival.replayCount == 0 ? "message.rejected" : "message.rejected replay \(arrival.replayCount)"
        envelope.messageID = DerivedMessageID.make(from: arrival.key, purpose: purpose)
        var messages = [parked, OutgoingMessage(event, envelope: envelope)]
        if let replyTo = properties.replyTo, !replyTo.isEmpty {
            var reply = envelope
            reply.messageID = DerivedMessageID.make(from: arrival.key, purpose: purpose + " reply")
            messages.append(
                OutgoingMessage(
                    envelope: reply, exchange: "", routingKey: replyTo, body: ContractEncoder.encode(event),
                    mandatory: false))
        }
        return messages
    }

    // MARK: - Retry

    private func retry(_ arrival: Arrival, error: any Error, logger: Logger) async -> Outcome {
        let description = String(String(describing: error).prefix(300))
        guard let tier = service.retryTier(afterRetries: arrival.retryCount) else {
            return await reject(
                arrival,
                MessageRejection(
                    .retriesExhausted,
                    detail: "failed \(arrival.retryCount + 1) times; the last error was: \(description)"),
                logger: logger)
        }
        logger.warning(
            "handling failed; retrying later",
            metadata: ["retry.tier": "\(tier.index)", "retry.delay": "\(tier.delay)", "error": "\(description)"])
        var properties = arrival.delivery.properties
        // A publisher's own x-npq-* headers must not become the runtime's when the copy comes back.
        if !arrival.viaRuntime { properties.headers = properties.headers.filter { !$0.key.hasPrefix("x-npq-") } }
        properties.userID = ownUser
        properties.messageID = arrival.key
        properties.headers[EnvelopeHeader.retryCount] = .string("\(arrival.retryCount + 1)")
        properties.headers[RuntimeHeader.lastError] = .string(description)
        if properties.headers[EnvelopeHeader.firstFailure] == nil {
            properties.headers[EnvelopeHeader.firstFailure] = .string(RFC3339.format(arrival.now))
        }
        properties.headers[RuntimeHeader.originalPublisher] = arrival.publisher.map { .string($0) }
        properties.headers[RuntimeHeader.originalExchange] = .string(arrival.exchange)
        properties.headers[RuntimeHeader.originalRoutingKey] = .string(arrival.routingKey)
        do {
            try await connection.publish(
                AMQPMessage(exchange: "", routingKey: tier.queue, body: arrival.delivery.body, properties: properties))
            try? await arrival.delivery.ack()
            return .retried
        } catch {
            logger.warning("could not move the message to its retry tier", metadata: ["error": "\(error)"])
            return await requeueLater(arrival)
        }
    }

    /// Gives the message back to the queue after a pause; the quorum queue's delivery limit bounds how often.
    private func requeueLater(_ arrival: Arrival) async -> Outcome {
        try? await Task.sleep(for: .seconds(1))
        try? await arrival.delivery.nack(requeue: true)
        return .requeued
    }
}
