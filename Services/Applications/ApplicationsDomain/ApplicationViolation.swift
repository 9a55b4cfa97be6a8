/// A rule of applications.md that a command breaks: the field, the rule's name and what is wrong.
public struct ApplicationViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The command breaks a rule of the state machines.
        case rule
        /// The sender may not act on this application.
        case unauthorized
    }

    public var kind: Kind
    public var field: String
    public var rule: String
    public var message: String

    public init(_ kind: Kind = .rule, field: String, rule: String, _ message: String) {
        self.kind = kind
        self.field = field
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
