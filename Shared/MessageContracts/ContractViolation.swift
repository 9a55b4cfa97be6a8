/// Why a body was refused as a message of some contract, in the terms a `message.rejected` event
/// reports: a reason, a plain-English detail, and every field error found.
public struct ContractViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// `undecodable`, `unknown_type`, `invalid_fields` or `too_large`.
    public var reason: RejectionReason

    /// One or two sentences saying what is wrong and what to change.
    public var detail: String

    /// Every problem found, with its path; empty when the body could not be read at all and the
    /// detail says why.
    public var fieldErrors: [FieldError]

    /// Creates a violation.
    public init(reason: RejectionReason, detail: String, fieldErrors: [FieldError] = []) {
        self.reason = reason
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    /// `reason: detail`, then one line per field error.
    public var description: String {
        (["\(reason.rawValue): \(detail)"] + fieldErrors.map { "  \($0)" }).joined(separator: "\n")
    }
}
