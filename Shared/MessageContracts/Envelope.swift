import Foundation

/// The metadata every message carries besides its payload: identity, causality, origin and time.
///
/// On the wire it is split between AMQP properties (`message_id`, `correlation_id`, `type`,
/// `app_id`, `user_id`, `reply_to`, `timestamp`) and CloudEvents headers; see
/// ``cloudEventsHeaders`` and ``init(headers:messageID:correlationID:type:appID:userID:replyTo:timestamp:receivedAt:)``.
public struct Envelope: Sendable, Equatable {
    /// The only content type the suite publishes.
    public static let jsonContentType = "application/json"

    /// The CloudEvents spec version written to and accepted from ``EnvelopeHeader/specVersion``.
    public static let cloudEventsSpecVersion = "1.0"

    /// The message's own id: a lowercase UUID, stable across re-sends so consumers can deduplicate.
    public var messageID: String

    /// The id shared by every message of one conversation; the first message uses its own id.
    public var correlationID: String?

    /// The id of the message whose handling produced this one.
    public var causationID: String?

    /// The type name, e.g. `"npq.application.submitted.v1"`.
    public var type: String

    /// The CloudEvents source: who published the message, e.g. `"urn:npq:service:applications"`.
    public var source: String

    /// When the message was created.
    public var time: Date

    /// The publishing application (AMQP `app_id`).
    public var appID: String?

    /// The broker user that published the message (AMQP `user_id`); RabbitMQ refuses a mismatch
    /// with the connection's login, so consumers can trust it.
    public var userID: String?

    /// Where a query's reply goes (AMQP `reply_to`).
    public var replyTo: String?

    /// The W3C trace context, `00-<trace id>-<span id>-<flags>`.
    public var traceparent: String?

    /// Always `"application/json"`.
    public var contentType: String {
        Self.jsonContentType
    }

    /// Creates an envelope from every field; prefer ``new(type:source:appID:correlationID:causationID:replyTo:traceparent:time:)``
    /// and ``consequence(of:type:source:appID:time:)``, which fill the ids consistently.
    public init(
        messageID: String,
        correlationID: String? = nil,
        causationID: String? = nil,
        type: String,
        source: String,
        time: Date,
        appID: String? = nil,
        userID: String? = nil,
        replyTo: String? = nil,
        traceparent: String? = nil
    ) {
        self.messageID = messageID
        self.correlationID = correlationID
        self.causationID = causationID
        self.type = type
        self.source = source
        self.time = time
        self.appID = appID
        self.userID = userID
        self.replyTo = replyTo
        self.traceparent = traceparent
    }

    /// The CloudEvents source of a service, e.g. `"urn:npq:service:applications"`.
    public static func source(forService service: String) -> String {
        "urn:npq:service:\(service)"
    }

    /// A fresh lowercase UUID for a message id.
    public static func newMessageID() -> String {
        UUID().uuidString.lowercased()
    }

    /// The envelope of a message that starts a conversation (or continues one whose correlation
    /// id is given), with a new message id.
    ///
    /// Without a `correlationID` the message id is used, so the first message of a conversation
    /// and everything it causes share one correlation id. The time is kept to whole milliseconds,
    /// the precision of ``EnvelopeHeader/time``, so the envelope survives a trip through headers.
    public static func new(
        type: String,
        source: String,
        appID: String? = nil,
        correlationID: String? = nil,
        causationID: String? = nil,
        replyTo: String? = nil,
        traceparent: String? = nil,
        time: Date = Date()
    ) -> Envelope {
        let messageID = newMessageID()
        return Envelope(
            messageID: messageID,
            correlationID: correlationID ?? messageID,
            causationID: causationID,
            type: type,
            source: source,
            time: RFC3339.roundedToMilliseconds(time),
            appID: appID,
            replyTo: replyTo,
            traceparent: traceparent)
    }

    /// The envelope of a message of contract `M`; see ``new(type:source:appID:correlationID:causationID:replyTo:traceparent:time:)``.
    public static func new<M: MessageContract>(
        for contract: M.Type,
        source: String,
        appID: String? = nil,
        correlationID: String? = nil,
        causationID: String? = nil,
        replyTo: String? = nil,
        traceparent: String? = nil,
        time: Date = Date()
    ) -> Envelope {
        new(
            type: M.typeName, source: source, appID: appID, correlationID: correlationID, causationID: causationID,
            replyTo: replyTo, traceparent: traceparent, time: time)
    }

    /// The envelope of a message produced while handling `parent`: same conversation, caused by
    /// the parent, and a child span of the parent's trace.
    ///
    /// A parent without a valid trace context gives a child without one; the publisher may start
    /// a trace of its own.
    public static func consequence(
        of parent: Envelope,
        type: String,
        source: String,
        appID: String? = nil,
        time: Date = Date()
    ) -> Envelope {
        let childTrace = parent.traceparent.flatMap { TraceParent($0) }?.child()
        return new(
            type: type,
            source: source,
            appID: appID,
            correlationID: parent.correlationID ?? parent.messageID,
            causationID: parent.messageID,
            traceparent: childTrace?.description,
            time: time)
    }
}
