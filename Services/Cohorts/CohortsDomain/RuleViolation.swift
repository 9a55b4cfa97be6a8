/// A rule of the cohort reference data that a definition breaks: the field, the rule's name and what to change.
public struct RuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field's path in the message or file entry, e.g. `registrationCloses`.
    public var field: String
    /// A short stable name of the rule, e.g. `window_in_start_year`.
    public var rule: String
    /// What is wrong and what to change, in plain English.
    public var message: String

    public init(field: String, rule: String, _ message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
