/// Why a body could not be read as JSON: too large, too deep, not UTF-8, or not JSON.
public struct JSONParsingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case size
            case depth
            case encoding
            case syntax
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The body is larger than ``JSONParsingLimits/maxBytes``.
        public static let tooLarge = Code(.size)
        /// Arrays and objects nest deeper than ``JSONParsingLimits/maxDepth``.
        public static let tooDeep = Code(.depth)
        /// The body is not valid UTF-8.
        public static let invalidUTF8 = Code(.encoding)
        /// The body is UTF-8 but not JSON.
        public static let invalidSyntax = Code(.syntax)

        /// The rule code used in a ``FieldError``: `size`, `depth`, `encoding` or `syntax`.
        public var description: String {
            base.rawValue
        }
    }

    /// What kind of problem it is.
    public let code: Code

    /// A plain-English explanation saying where the problem is and what to change.
    public let message: String

    /// The byte offset of the problem, when there is one place to point at.
    public let offset: Int?

    /// Creates a parsing error.
    public init(code: Code, message: String, offset: Int?) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// The message.
    public var description: String {
        message
    }

    /// The error as a field error about the whole body.
    public var fieldError: FieldError {
        FieldError(field: "", rule: code.description, message: message)
    }
}
