import AMQP
import Foundation
import MessageContracts

/// A message a handler produced, as it is stored in the outbox and later published.
public struct OutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var messageID: String
    public var type: String?
    public var correlationID: String?
    public var replyTo: String?
    public var appID: String?
    public var timestamp: Date
    /// String-valued AMQP headers: the CloudEvents headers and any `x-npq-*` headers.
    public var headers: [String: String]
    public var body: Data
    /// Whether the broker must route it somewhere. Commands and parked copies must reach a queue; events may have
    /// no subscriber yet, and replies go to a requester that may have left.
    public var mandatory: Bool

    public init(
        exchange: String, routingKey: String, messageID: String, type: String?, correlationID: String?,
        replyTo: String? = nil, appID: String?, timestamp: Date, headers: [String: String], body: Data,
        mandatory: Bool
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageID = messageID
        self.type = type
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.appID = appID
        self.timestamp = timestamp
        self.headers = headers
        self.body = body
        self.mandatory = mandatory
    }

    /// A contract message with its envelope, addressed by the contract's exchange and routing key.
    public init<M: MessageContract>(_ payload: M, envelope: Envelope) {
        self.init(
            envelope: envelope, exchange: M.exchange, routingKey: M.routingKey, body: ContractEncoder.encode(payload),
            mandatory: M.kind == .command || M.kind == .query)
    }

    init(envelope: Envelope, exchange: String, routingKey: String, body: Data, mandatory: Bool) {
        self.init(
            exchange: exchange, routingKey: routingKey, messageID: envelope.messageID, type: envelope.type,
            correlationID: envelope.correlationID, replyTo: envelope.replyTo, appID: envelope.appID,
            timestamp: envelope.time, headers: envelope.cloudEventsHeaders, body: body, mandatory: mandatory)
    }

    /// The AMQP message to publish: persistent, JSON, with every header.
    public var amqpMessage: AMQPMessage {
        AMQPMessage(
            exchange: exchange, routingKey: routingKey, body: body,
            properties: AMQPProperties(
                contentType: "application/json", headers: headers.mapValues { .string($0) }, deliveryMode: .persistent,
                correlationID: correlationID, replyTo: replyTo, messageID: messageID, timestamp: timestamp, type: type,
                appID: appID),
            mandatory: mandatory)
    }
}
