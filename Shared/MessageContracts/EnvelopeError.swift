/// Why an incoming message's properties and headers do not form a valid ``Envelope``, naming the
/// property or header at fault.
public struct EnvelopeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case missing
            case invalid
            case conflicting
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A required property or header is absent or empty.
        public static let missing = Code(.missing)
        /// A property or header is present but malformed.
        public static let invalid = Code(.invalid)
        /// An AMQP property and the CloudEvents header that mirrors it disagree.
        public static let conflicting = Code(.conflicting)

        /// The code as a lowercase word.
        public var description: String {
            base.rawValue
        }
    }

    /// What kind of problem it is.
    public let code: Code

    /// The AMQP property (`message_id`, `type`) or header (`cloudEvents_time`) at fault.
    public let property: String

    /// A plain-English explanation that says what to change.
    public let message: String

    /// Creates an error about `property`.
    public init(code: Code, property: String, message: String) {
        self.code = code
        self.property = property
        self.message = message
    }

    /// The message.
    public var description: String {
        message
    }

    /// The error as a field error, for a `message.rejected` event.
    public var fieldError: FieldError {
        FieldError(field: property, rule: code == .missing ? "required" : "format", message: message)
    }
}
