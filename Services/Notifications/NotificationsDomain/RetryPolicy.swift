import Foundation

/// When a failed delivery is tried again: exponential backoff with jitter, up to a number of attempts.
///
/// Attempt n (counting the first as 1) that failed transiently is retried after `base × 2^(n−1)`, capped at
/// `maximumDelay`, then scaled by a random factor in [0.5, 1] ("equal jitter"), so that deliveries that failed
/// together (a mail server's outage) do not all come back at the same moment.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var maximumDelay: Duration
    /// Attempts in all, the first included; after the last one fails the notification is given up.
    public var maximumAttempts: Int

    public init(base: Duration = .seconds(30), maximumDelay: Duration = .seconds(3_600), maximumAttempts: Int = 10) {
        precondition(base > .zero && maximumDelay >= base && maximumAttempts >= 1)
        self.base = base
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// The delay before the attempt after attempt `attempt` (1-based), or `nil` when there is none.
    ///
    /// - Parameter jitter: a number in [0, 1] (random in use; fixed in tests).
    public func delay(after attempt: Int, jitter: Double = Double.random(in: 0...1)) -> Duration? {
        guard attempt < maximumAttempts else { return nil }
        let exponent = min(attempt - 1, 30)
        let seconds = min(Self.seconds(base) * pow(2, Double(exponent)), Self.seconds(maximumDelay))
        return .milliseconds(Int64((seconds * (0.5 + 0.5 * min(max(jitter, 0), 1)) * 1_000).rounded()))
    }

    /// `duration` in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
