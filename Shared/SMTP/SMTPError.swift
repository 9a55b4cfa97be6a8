/// Why a delivery failed: what went wrong (``code``), where (``stage``), whether trying again can help
/// (``classification``), the server's reply when there was one, and the underlying error.
///
/// ``description`` is safe for logs: it replaces anything that looks like an email address in the server's text with
/// `[address]` (servers often repeat the recipient in a 550). ``reply`` keeps the text as the server sent it.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidConfiguration = "invalid configuration"
            case invalidMessage = "invalid message"
            case connectionFailed = "connection failed"
            case connectionClosed = "connection closed"
            case timedOut = "timed out"
            case tlsFailed = "TLS failed"
            case startTLSUnavailable = "STARTTLS unavailable"
            case authenticationUnavailable = "authentication unavailable"
            case insecureAuthentication = "insecure authentication refused"
            case messageTooLarge = "message too large"
            case rejected = "rejected"
            case protocolViolation = "protocol violation"
            case cancelled = "cancelled"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL or an option is wrong, or the CA file cannot be read.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The email cannot be sent as given: a line break in a header (header injection), a malformed address.
        public static let invalidMessage = Code(.invalidMessage)
        /// The TCP connection could not be opened: refused, unreachable, name not resolved.
        public static let connectionFailed = Code(.connectionFailed)
        /// The server closed the connection (or it was reset) in the middle of the conversation.
        public static let connectionClosed = Code(.connectionClosed)
        /// No connection or no reply within the configured timeout.
        public static let timedOut = Code(.timedOut)
        /// The TLS handshake failed; permanent when the server's certificate was not trusted or not for the host.
        public static let tlsFailed = Code(.tlsFailed)
        /// STARTTLS is required but the server does not offer it.
        public static let startTLSUnavailable = Code(.startTLSUnavailable)
        /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
        public static let authenticationUnavailable = Code(.authenticationUnavailable)
        /// The client refused to send credentials over an unencrypted connection to a host that is not loopback.
        public static let insecureAuthentication = Code(.insecureAuthentication)
        /// The message is larger than the SIZE the server announced.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The server answered with a 4xx or 5xx reply; see ``SMTPError/reply``.
        public static let rejected = Code(.rejected)
        /// The server's reply was malformed or not one SMTP allows at that point.
        public static let protocolViolation = Code(.protocolViolation)
        /// The task was cancelled (a shutdown) during the conversation; the connection was closed.
        public static let cancelled = Code(.cancelled)

        public var description: String { base.rawValue }
    }

    /// Whether trying the same delivery again later can succeed.
    public enum Classification: String, Sendable, Hashable {
        /// Try again later: 4xx replies, refused or reset connections, timeouts, a 421 greeting, cancellation.
        case transient
        /// Do not try again unchanged: 5xx replies, bad configuration, an untrusted certificate, an invalid email.
        case permanent
    }

    public let code: Code
    public let stage: SMTPStage
    public let classification: Classification
    /// The server's reply, when the failure is one.
    public let reply: SMTPReply?
    /// What happened, in words; never contains addresses, names or subjects from the email.
    public let message: String
    /// The error from below (NIO, NIOSSL), when there is one.
    public let underlying: (any Error)?

    public init(
        _ code: Code, stage: SMTPStage, classification: Classification, message: String, reply: SMTPReply? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.stage = stage
        self.classification = classification
        self.message = message
        self.reply = reply
        self.underlying = underlying
    }

    public var isPermanent: Bool { classification == .permanent }
    public var isTransient: Bool { classification == .transient }

    public var description: String {
        var text = "SMTP \(classification) failure at \(stage): \(code): \(message)"
        if let reply { text += " (server: \(Self.redactingAddresses(reply.description)))" }
        if let underlying { text += " [\(underlying)]" }
        return text
    }

    /// `text` with every word that contains an "@" (an email address, with or without angle brackets) replaced.
    static func redactingAddresses(_ text: String) -> String {
        let delimiters: Set<Character> = [" ", "\t", "<", ">", "\"", "'", "(", ")", "[", "]", ",", ";"]
        var result = ""
        var word = ""
        func flush() {
            result += word.contains("@") ? "[address]" : word
            word = ""
        }
        for character in text {
            if delimiters.contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}

extension SMTPError {
    /// The error for a 4xx or 5xx reply: transient or permanent as the reply's first digit says.
    static func rejected(_ reply: SMTPReply, stage: SMTPStage, _ message: String) -> SMTPError {
        SMTPError(
            .rejected, stage: stage, classification: reply.isTransientNegative ? .transient : .permanent,
            message: message, reply: reply)
    }

    /// The error for a reply that is neither the expected one nor a 4xx/5xx refusal.
    static func unexpected(_ reply: SMTPReply, stage: SMTPStage, expected: String) -> SMTPError {
        SMTPError(
            .protocolViolation, stage: stage, classification: .permanent,
            message: "expected \(expected), the server answered \(reply.code)", reply: reply)
    }

    static func configuration(_ message: String, underlying: (any Error)? = nil) -> SMTPError {
        SMTPError(
            .invalidConfiguration, stage: .configuration, classification: .permanent, message: message,
            underlying: underlying)
    }

    static func invalidMessage(_ message: String) -> SMTPError {
        SMTPError(.invalidMessage, stage: .composition, classification: .permanent, message: message)
    }
}
