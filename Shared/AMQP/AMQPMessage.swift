import Foundation

/// A message to publish: where it goes, its body and its properties.
public struct AMQPMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var properties: AMQPProperties
    /// Ask the broker to return the message if no queue receives it; the publish then fails with
    /// ``AMQPError/Code/unroutable``. Returns are matched to publishes by `message_id`, so a mandatory message
    /// without one is given a fresh UUID.
    public var mandatory: Bool

    public init(
        exchange: String, routingKey: String, body: Data, properties: AMQPProperties = AMQPProperties(),
        mandatory: Bool = true
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}
