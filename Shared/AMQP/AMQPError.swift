/// An error from the AMQP module: what went wrong (``code``), the broker's reply code and text where the broker
/// gave one, and what the module was doing at the time (``context``).
///
/// The codes are deliberately few: callers branch on whether an error is worth retrying (``isTransient``) and
/// report the rest.
public struct AMQPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration = "invalid configuration"
            case connectionFailed = "connection failed"
            case authenticationFailed = "authentication failed"
            case tlsFailed = "TLS failed"
            case connectionLost = "connection lost"
            case connectionClosedByBroker = "connection closed by broker"
            case channelClosed = "channel closed"
            case unroutable = "message unroutable"
            case nacked = "message nacked by broker"
            case staleDelivery = "delivery belongs to a closed channel"
            case closed = "connection closed"
            case timeout = "timed out"
            case consumerCancelled = "consumer cancelled"
            case cancelled = "cancelled before it was sent"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A URL or option that cannot be used.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The TCP connection or the AMQP handshake failed.
        public static let connectionFailed = Code(.connectionFailed)
        /// The broker refused the credentials (reply 403 ACCESS_REFUSED at login).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The TLS handshake failed, e.g. the server certificate did not verify.
        public static let tlsFailed = Code(.tlsFailed)
        /// The connection dropped; the outcome of operations in flight is unknown (publish again: consumers dedupe).
        public static let connectionLost = Code(.connectionLost)
        /// The broker closed the connection (e.g. 320 CONNECTION_FORCED when it shuts down).
        public static let connectionClosedByBroker = Code(.connectionClosedByBroker)
        /// The broker closed a channel (e.g. 404 NOT_FOUND for a missing exchange, 406 PRECONDITION_FAILED).
        public static let channelClosed = Code(.channelClosed)
        /// A `mandatory` message reached no queue and was returned (312 NO_ROUTE).
        public static let unroutable = Code(.unroutable)
        /// The broker nacked a published message: it did not take responsibility for it.
        public static let nacked = Code(.nacked)
        /// An ack, nack or reject for a delivery whose channel has since closed; it was not sent, and the broker
        /// will deliver the message again.
        public static let staleDelivery = Code(.staleDelivery)
        /// The connection was closed by its owner.
        public static let closed = Code(.closed)
        /// An operation did not complete in time.
        public static let timeout = Code(.timeout)
        /// The broker cancelled a consumer and it could not be re-established (e.g. its queue was deleted).
        public static let consumerCancelled = Code(.consumerCancelled)
        /// The caller's task was cancelled while the operation waited for the connection; nothing was sent.
        public static let cancelled = Code(.cancelled)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The AMQP reply code, when the broker sent one (404, 406, 312, 320, 403 …).
    public var replyCode: UInt16?
    /// The broker's reply text, when it sent one.
    public var replyText: String?
    /// What the module was doing: "declare queue npq.applications", "publish to npq.events".
    public var context: String
    /// rabbitmq-c's status code and description, when the failure came from the library.
    public var libraryStatus: Int32?
    public var libraryDescription: String?

    public init(
        _ code: Code, context: String, replyCode: UInt16? = nil, replyText: String? = nil,
        libraryStatus: Int32? = nil, libraryDescription: String? = nil
    ) {
        self.code = code
        self.context = context
        self.replyCode = replyCode
        self.replyText = replyText
        self.libraryStatus = libraryStatus
        self.libraryDescription = libraryDescription
    }

    /// Whether trying the same operation again later may succeed (a lost connection, a broker restart), as opposed
    /// to a mistake that will fail again (a missing exchange, bad credentials, an unroutable message).
    public var isTransient: Bool {
        switch code {
        case .connectionFailed, .connectionLost, .connectionClosedByBroker, .timeout, .staleDelivery, .nacked,
            .cancelled:
            return true
        case .channelClosed:
            // 404/406/403 are mistakes; other channel closures (e.g. 505, 541) are the broker's trouble.
            guard let replyCode else { return true }
            return ![403, 404, 405, 406].contains(replyCode)
        default:
            return false
        }
    }

    public var description: String {
        var text = "AMQP \(code) while trying to \(context)"
        if let replyCode { text += " (\(replyCode)" + (replyText.map { " \($0)" } ?? "") + ")" }
        if let libraryDescription { text += ": \(libraryDescription)" }
        return text
    }
}
