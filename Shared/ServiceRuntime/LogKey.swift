/// The metadata keys every service logs under, dotted as swift-log recommends, so log queries work across services.
///
/// Personal data (names, email addresses, dates of birth, TRNs) never goes into metadata or messages at `info` or
/// above; log identifiers (message id, application id, school URN) instead and look the person up where they live.
public enum LogKey {
    /// The AMQP `message_id` of the message being handled.
    public static let messageID = "message.id"
    /// The `correlation_id` tying a command to everything it caused.
    public static let correlationID = "correlation.id"
    /// The message `type`, e.g. `npq.application.submitted.v1`.
    public static let messageType = "message.type"
    /// The service that wrote the line; set by the log handler, so rarely added by hand.
    public static let service = "service"
    /// The consumer (queue subscription) that received the message.
    public static let consumer = "consumer"
}
