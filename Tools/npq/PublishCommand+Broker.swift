import AMQP
import Foundation
import MessageContracts
import ServiceRuntime
import Synchronization

extension PublishCommand {
    /// The AMQP message for a checked `body` of `contract`: a new envelope (or the given message id, which is then
    /// the correlation id too), the contract's exchange and routing key, mandatory, and the client's `user_id` —
    /// what ``NPQClient`` builds for a typed payload, for a body that is already JSON.
    static func message(
        body: Data, contract: any MessageContract.Type, client: NPQClient, messageID: String?
    ) -> AMQPMessage {
        var envelope = Envelope.new(type: contract.typeName, source: client.source, appID: client.appID)
        if let messageID {
            envelope.messageID = messageID
            envelope.correlationID = messageID
        }
        var message = OutgoingMessage(
            exchange: contract.exchange, routingKey: contract.routingKey, messageID: envelope.messageID,
            type: envelope.type, correlationID: envelope.correlationID, appID: envelope.appID,
            timestamp: envelope.time, headers: envelope.cloudEventsHeaders, body: body, mandatory: true
        ).amqpMessage
        message.properties.userID = client.userID
        return message
    }

    /// Publishes `message` with a confirm and, when `timeout` is given, waits that long for its answer.
    ///
    /// To wait, it declares a private queue (exclusive, deleted with the connection), which is the message's
    /// `reply_to` and is bound to every event on `npq.events`, so that it sees the reply, the `message.rejected`
    /// and the events the message caused; all of that before publishing, so nothing can slip past. A broker user
    /// that may not declare queues waits through direct reply-to instead, without the confirm and the events.
    /// `onPublished` is called with the message id once the broker has it.
    static func deliver(
        _ message: AMQPMessage, waitingFor timeout: Duration?, connection: AMQPConnection,
        onPublished: @Sendable (String) -> Void
    ) async throws -> Delivery {
        let id = message.properties.messageID ?? ""
        guard let timeout else {
            try await publish(message, connection)
            onPublished(id)
            return .confirmed(messageID: id)
        }
        let queue = "npq.cli.\(UUID().uuidString.lowercased())"
        do {
            try await connection.declare(
                AMQPTopology(
                    queues: [.init(queue, durable: false, exclusive: true, autoDelete: true)],
                    bindings: [.init(queue: queue, exchange: Topology.eventsExchange, routingKey: "#")]))
        } catch {
            // Only a refused permission has another way; anything else (no npq.events yet, say) is explained.
            guard error.replyCode == 403 else { throw error }
            FileHandle.standardError.write(
                Data(
                    ("Note: your broker user may not declare a queue to wait on (\(error.replyText ?? "403")); "
                        + "waiting through direct reply-to instead, without a publisher confirm and without seeing "
                        + "the events the message causes.\n").utf8))
            return try await request(message, timeout: timeout, connection: connection, onPublished: onPublished)
        }
        let consumer = try await connection.consume(queue: queue, prefetch: 200, exclusive: true)
        let inbox = Inbox(AnswerCollector(messageID: id))
        let listener = Task {
            do {
                for try await delivery in consumer {
                    inbox.receive(delivery)
                    try? await delivery.ack()
                }
            } catch {
                inbox.fail(error)
            }
        }
        defer { listener.cancel() }
        var published = message
        published.properties.replyTo = queue
        try await publish(published, connection)
        onPublished(id)

        let deadline = ContinuousClock.now + timeout
        while true {
            let now = ContinuousClock.now
            if let answer = try inbox.answer(at: now) { return .answered(answer) }
            if now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let answer = inbox.finalAnswer { return .answered(answer) }
        return .unanswered(messageID: id, watchedEvents: true)
    }

    /// Waits through RabbitMQ's direct reply-to, which needs no permission to declare anything; the broker does
    /// not confirm a message sent this way, and only replies (and rejections) come back.
    private static func request(
        _ message: AMQPMessage, timeout: Duration, connection: AMQPConnection, onPublished: @Sendable (String) -> Void
    ) async throws -> Delivery {
        let id = message.properties.messageID ?? ""
        let reply: AMQPReply
        do {
            reply = try await connection.request(message, timeout: timeout)
        } catch {
            guard error.code == .timeout else { throw error }
            return .unanswered(messageID: id, watchedEvents: false)
        }
        onPublished(id)
        let received = Received(properties: reply.properties, body: reply.body)
        var collector = AnswerCollector(messageID: id)
        collector.receive(received, properties: reply.properties, viaDefaultExchange: true, at: .now)
        return .answered(collector.finalAnswer ?? .reply(received))
    }

    /// Publishes with a confirm; a connection lost before the confirm leaves the outcome unknown, and the person
    /// is told how to resend safely.
    private static func publish(_ message: AMQPMessage, _ connection: AMQPConnection) async throws {
        do {
            try await connection.publish(message)
        } catch {
            guard error.code == .connectionLost else { throw error }
            let id = message.properties.messageID ?? ""
            throw CLIError(
                "the connection to the broker dropped before it confirmed message \(id), which may or may not have "
                    + "been published. Publish it again with --message-id \(id): services apply a message id once. "
                    + "(\(error))")
        }
    }

    /// What the listening task hands to the waiting one.
    private final class Inbox: Sendable {
        private let collector: Mutex<AnswerCollector>
        private let failure = Mutex<(any Error)?>(nil)

        init(_ collector: AnswerCollector) { self.collector = Mutex(collector) }

        func receive(_ delivery: AMQPDelivery) {
            let received = Received(properties: delivery.properties, body: delivery.body)
            let now = ContinuousClock.now
            collector.withLock {
                $0.receive(
                    received, properties: delivery.properties, viaDefaultExchange: delivery.exchange.isEmpty, at: now)
            }
        }

        func fail(_ error: any Error) { failure.withLock { $0 = error } }

        /// The answer once there is one; throws what stopped the listener (the queue or connection went away).
        func answer(at now: ContinuousClock.Instant) throws -> Answer? {
            if let answer = collector.withLock({ $0.answer(at: now) }) { return answer }
            if let error = failure.withLock({ $0 }) { throw error }
            return nil
        }

        var finalAnswer: Answer? { collector.withLock { $0.finalAnswer } }
    }
}
