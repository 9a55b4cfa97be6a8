/// Where a connection is in its life.
public enum AMQPConnectionState: Sendable, Equatable {
    /// The first connection attempt is under way.
    case connecting
    /// Connected, channels open and the recorded topology declared.
    case connected
    /// The connection was lost (or never made); the next attempt comes after a backoff delay.
    case reconnecting(attempt: Int, lastError: AMQPError)
    /// Closed by its owner; it will not reconnect.
    case closed

    /// True only in ``connected``.
    public var isConnected: Bool { self == .connected }
}
