/// The broker-wide names every service agrees on: the three topic exchanges.
///
/// Per-service queues are described by ``ServiceTopology``; these are the exchanges they bind to.
public enum Topology {
    /// Topic exchange where integrators and the CLI publish commands and queries.
    public static let commandsExchange = "npq.commands"

    /// Topic exchange where services publish the facts they own.
    public static let eventsExchange = "npq.events"

    /// Topic exchange that receives rejected, exhausted and over-delivered messages, from where
    /// each service's parked queue collects its own.
    public static let deadLetterExchange = "npq.dead-letter"

    /// The prefix of every exchange and queue name in the suite.
    public static let namePrefix = "npq."
}
