extension MessageContract {
    /// The contract's name and version as one value.
    public static var messageType: MessageType {
        MessageType(name: name, version: version)
    }

    /// The AMQP `type` property and CloudEvents type, e.g. `"npq.message.rejected.v1"`.
    public static var typeName: String {
        messageType.typeName
    }

    /// The topic routing key, which is the type name without the `npq.` prefix,
    /// e.g. `"message.rejected.v1"`.
    public static var routingKey: String {
        messageType.routingKey
    }

    /// The exchange this message is published to.
    ///
    /// Queries share the commands exchange because, like commands, they are addressed to the one
    /// service that owns the data; replies go through the default exchange (`""`), which routes
    /// straight to the requester's `reply_to` queue.
    public static var exchange: String {
        switch kind {
        case .command, .query: Topology.commandsExchange
        case .event: Topology.eventsExchange
        case .reply: ""
        }
    }
}
