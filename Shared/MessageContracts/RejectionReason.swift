/// Why a service refused a message, carried in `message.rejected` and the `x-npq-rejection` header.
public enum RejectionReason: String, Codable, Sendable, CaseIterable {
    /// The body is not JSON the service can read: bad syntax, bad UTF-8, too deeply nested.
    case undecodable
    /// The `type` is not one this service handles, or the version is not served.
    case unknownType = "unknown_type"
    /// The body is JSON but breaks the contract's schema; `fieldErrors` says where.
    case invalidFields = "invalid_fields"
    /// The message is well formed but breaks a domain rule, such as accepting a withdrawn application.
    case ruleViolation = "rule_violation"
    /// The publisher may not send this message.
    case unauthorized
    /// The body is larger than the service accepts.
    case tooLarge = "too_large"
    /// A transient failure outlasted every retry tier.
    case retriesExhausted = "retries_exhausted"
    /// The broker delivered the message more times than the queue's delivery limit, usually
    /// because handling it crashed the consumer.
    case deliveryLimit = "delivery_limit"
}
