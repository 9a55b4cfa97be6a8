import MessageContracts

/// Thrown by a handler to refuse a message for good: it broke a rule or named something that does not exist.
///
/// The runtime rolls back the handler's changes, parks the message with `x-npq-rejection` headers, publishes a
/// `message.rejected` event with ``reason``, ``detail`` and ``fieldErrors`` (and a reply when the message asked
/// for one), and never retries it. ``detail`` is read by people: say what to change.
public struct MessageRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: RejectionReason
    public var detail: String
    public var fieldErrors: [FieldError]

    public init(_ reason: RejectionReason = .ruleViolation, detail: String, fieldErrors: [FieldError] = []) {
        self.reason = reason
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    /// A refusal naming one field and the rule it breaks.
    public static func field(_ field: String, rule: String, _ message: String) -> MessageRejection {
        MessageRejection(
            .invalidFields, detail: message, fieldErrors: [FieldError(field: field, rule: rule, message: message)])
    }

    /// The sender may not do this (checked against the broker-validated `user_id`).
    public static func unauthorized(_ detail: String) -> MessageRejection {
        MessageRejection(.unauthorized, detail: detail)
    }

    init(_ violation: ContractViolation) {
        self.init(violation.reason, detail: violation.detail, fieldErrors: violation.fieldErrors)
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
