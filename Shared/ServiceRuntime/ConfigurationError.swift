/// A configuration value that stops the service at start, with a message naming the variable, the value and the rule.
///
/// The value is masked before it is stored here, so the error can be logged or printed as it is: a secret (a variable
/// whose name contains PASSWORD, SECRET or TOKEN, or any value read from a `_FILE`) shows as `***`, and a URL shows
/// with its password replaced by `***`.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of mistake this is, for code that reacts to it rather than printing it.
    public enum Code: String, Sendable, Equatable {
        /// The value is set but breaks the rule.
        case invalidValue
        /// The variable is required and neither it nor its `_FILE` is set.
        case missing
        /// Both `NAME` and `NAME_FILE` are set, so it is unclear which one the operator meant.
        case conflictingSources
        /// `NAME_FILE` names a file that cannot be read.
        case unreadableFile
    }

    /// What kind of mistake this is.
    public let code: Code
    /// The variable at fault, e.g. `NPQ_HTTP_PORT` (or `NPQ_SMTP_PASSWORD_FILE` when that file cannot be read).
    public let variable: String
    /// The `NAME_FILE` variable the value was read from, when it came from a file rather than from `NAME` itself.
    public let file: String?
    /// The offending value, already masked; `nil` when there is none to show (a missing variable).
    public let value: String?
    /// The rule the value breaks, phrased to follow the variable name: "must be an integer from 1 to 65535".
    public let rule: String

    /// Creates an error; `value` must already be masked (see ``ConfigurationReader/masked(_:variable:)``).
    public init(code: Code, variable: String, file: String? = nil, value: String?, rule: String) {
        self.code = code
        self.variable = variable
        self.file = file
        self.value = value
        self.rule = rule
    }

    /// One line an operator can act on: `NPQ_HTTP_PORT must be an integer from 1 to 65535, got "abc"`.
    public var description: String {
        let subject = file.map { "\(variable) (read from \($0))" } ?? variable
        guard let value else { return "\(subject) \(rule)" }
        return "\(subject) \(rule), got \"\(value)\""
    }
}
