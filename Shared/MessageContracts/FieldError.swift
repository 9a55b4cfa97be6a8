/// One thing wrong with a message body, precise enough for a program and plain enough for a person.
public struct FieldError: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, as a JSON path like `"applicant.trn"` or `"items[2].urn"`; `""` is the
    /// whole body.
    public var field: String

    /// A machine-readable rule code: a JSON Schema keyword (`"required"`, `"type"`, `"pattern"`,
    /// `"enum"`, `"format"`, `"minLength"`, `"maxLength"`, `"minimum"`, `"maximum"`,
    /// `"additionalProperties"`, `"minItems"`, `"maxItems"`, `"const"`, `"oneOf"`), a body-level
    /// code (`"syntax"`, `"encoding"`, `"size"`, `"depth"`), or a domain rule name.
    public var rule: String

    /// Plain English telling the person what to change, e.g. `"trn must be 7 digits"`.
    public var message: String

    /// Creates a field error.
    public init(field: String, rule: String, message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// `field: message (rule)`, for logs and CLI output.
    public var description: String {
        "\(field.isEmpty ? "(body)" : field): \(message) [\(rule)]"
    }
}
