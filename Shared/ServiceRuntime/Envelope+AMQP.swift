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
}
