/// What a message asks for or states, which decides the exchange it travels on.
///
/// Commands ask one service to change something, events state a fact that happened, queries ask
/// for data and expect a reply on the requester's `reply_to` queue.
public enum MessageKind: String, Codable, Sendable, CaseIterable {
    /// A request to change state, published by an integrator or the CLI to `npq.commands`.
    case command
    /// A fact that already happened, published by the service that owns it to `npq.events`.
    case event
    /// A request for data, published to `npq.commands` with `reply_to` and `correlation_id` set.
    case query
    /// The answer to a query, sent through the default exchange straight to the `reply_to` queue.
    case reply
}
