/// The AMQP header names the suite reads and writes.
///
/// CloudEvents 1.0 binary-mode headers carry the message identity for tools that speak CloudEvents;
/// the `x-npq-` headers explain why a message was parked and how often it was retried.
public enum EnvelopeHeader {
    /// The CloudEvents spec version; always `"1.0"`.
    public static let specVersion = "cloudEvents_specversion"
    /// The CloudEvents id, equal to the AMQP `message_id`.
    public static let id = "cloudEvents_id"
    /// Who published the message, e.g. `"urn:npq:service:applications"`.
    public static let source = "cloudEvents_source"
    /// The CloudEvents type, equal to the AMQP `type`, e.g. `"npq.application.submitted.v1"`.
    public static let type = "cloudEvents_type"
    /// When the message was created, RFC 3339 in UTC with milliseconds.
    public static let time = "cloudEvents_time"
    /// The `message_id` of the message whose handling produced this one.
    public static let causationID = "causation_id"
    /// The W3C trace context of the span that published the message.
    public static let traceparent = "traceparent"

    /// On a parked message: the ``RejectionReason`` raw value.
    public static let rejectionReason = "x-npq-rejection"
    /// On a parked message: the plain-English explanation of the rejection.
    public static let rejectionDetail = "x-npq-rejection-detail"
    /// On a parked message: the service that rejected it.
    public static let rejectedBy = "x-npq-rejected-by"
    /// On a parked message: its field errors, a JSON array of `{field, rule, message}` (the first 20).
    public static let rejectionFields = "x-npq-rejection-fields"
    /// On a retried message: how many times it has been retried so far.
    public static let retryCount = "x-npq-retry-count"
    /// On a retried message: when its first attempt failed, RFC 3339.
    public static let firstFailure = "x-npq-first-failure"
}
