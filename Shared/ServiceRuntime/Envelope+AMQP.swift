import AMQP
import Foundation
import MessageContracts

extension Envelope {
    /// Reads the envelope of a delivery from its AMQP properties and CloudEvents headers.
    init(delivery: AMQPDelivery, receivedAt: Date) throws(EnvelopeError) {
        let properties = delivery.properties
        try self.init(
            headers: properties.headers.compactMapValues(\.stringValue), messageID: properties.messageID,
            correlationID: properties.correlationID, type: properties.type, appID: properties.appID,
            userID: properties.userID, replyTo: properties.replyTo, timestamp: properties.timestamp,
            receivedAt: receivedAt)
    }

    /// The AMQP properties that carry this envelope: persistent JSON with CloudEvents binary-mode headers.
    ///
    /// `user_id` is left out on purpose: the broker sets nothing, but refuses a publish whose `user_id` differs
    /// from the connection's user, so only the original publisher may state it.
    func amqpProperties(extraHeaders: [String: String] = [:]) -> AMQPProperties {
        var headers: AMQPTable = [:]
        for (key, value) in cloudEventsHeaders { headers[key] = .string(value) }
        for (key, value) in extraHeaders { headers[key] = .string(value) }
        return AMQPProperties(
            contentType: contentType, headers: headers, deliveryMode: .persistent, correlationID: correlationID,
            replyTo: replyTo, messageID: messageID, timestamp: time, type: type, appID: appID)
    }
}
