import Foundation

/// A message its service set aside: what it was, why it was refused, and what operators have done with it since.
///
/// `parked.list` gives the summary fields; `parked.show` adds the headers and the body.
public struct ParkedMessage: Codable, Sendable, Equatable {
    /// How a body is given in ``body``.
    public enum BodyEncoding: String, Codable, Sendable, CaseIterable {
        /// The body is UTF-8 text (JSON, usually), given as it is.
        case utf8
        /// The body is not UTF-8, so it is given in base64.
        case base64
    }

    /// The message id (the one the service derived from the body when the publisher gave none).
    public var messageID: String
    /// The service that refused it.
    public var service: String
    /// The AMQP `type` it was sent with, if any.
    public var type: String?
    public var reason: RejectionReason
    /// Why, in words; never personal data.
    public var detail: String
    /// For `invalid_fields`: each field and the rule it broke.
    public var fieldErrors: [FieldError]
    /// The broker user that published it, as the broker validated it.
    public var publisher: String?
    public var correlationID: String?
    /// Where it was published: exchange and routing key.
    public var exchange: String?
    public var routingKey: String?
    public var status: ParkedStatus
    /// When it was first set aside, and when last.
    public var firstParkedAt: Date
    public var parkedAt: Date
    /// How many times it has been parked (once, plus once for each replay that was refused again).
    public var timesParked: Int
    /// How many times operators replayed it, the last time and by whom.
    public var replays: Int
    public var lastReplayedAt: Date?
    public var lastReplayedBy: String?
    /// The body's size in bytes.
    public var bodyBytes: Int
    /// `parked.show` only: the message's headers (the `x-npq-*` ones included).
    public var headers: [ParkedHeader]?
    /// `parked.show` only: the body, as ``bodyEncoding`` says, cut to ``ParkedShow/maxBodyBytes``.
    public var body: String?
    public var bodyEncoding: BodyEncoding?
    /// Whether ``body`` is cut short.
    public var bodyTruncated: Bool?

    public init(
        messageID: String, service: String, type: String?, reason: RejectionReason, detail: String,
        fieldErrors: [FieldError] = [], publisher: String?, correlationID: String?, exchange: String?,
        routingKey: String?, status: ParkedStatus, firstParkedAt: Date, parkedAt: Date, timesParked: Int,
        replays: Int, lastReplayedAt: Date? = nil, lastReplayedBy: String? = nil, bodyBytes: Int,
        headers: [ParkedHeader]? = nil, body: String? = nil, bodyEncoding: BodyEncoding? = nil,
        bodyTruncated: Bool? = nil
    ) {
        self.messageID = messageID
        self.service = service
        self.type = type
        self.reason = reason
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.publisher = publisher
        self.correlationID = correlationID
        self.exchange = exchange
        self.routingKey = routingKey
        self.status = status
        self.firstParkedAt = firstParkedAt
        self.parkedAt = parkedAt
        self.timesParked = timesParked
        self.replays = replays
        self.lastReplayedAt = lastReplayedAt
        self.lastReplayedBy = lastReplayedBy
        self.bodyBytes = bodyBytes
        self.headers = headers
        self.body = body
        self.bodyEncoding = bodyEncoding
        self.bodyTruncated = bodyTruncated
    }

    public static var schema: JSONSchema {
        let text = JSONSchema.string(maxLength: 255)
        return .object(
            [
                "messageID": JSONSchema.messageID.described("The message id."),
                "service": JSONSchema.serviceName.described("The service that refused it."),
                "type": text.nullable().described("The AMQP type it was sent with."),
                "reason": .enumeration(of: RejectionReason.self).described("Why it was refused."),
                "detail": JSONSchema.string(maxLength: 2_000).described("Why, in words."),
                "fieldErrors": .array(of: FieldError.schema, maxItems: MessageRejected.maxFieldErrors).described(
                    "Each field and the rule it broke."),
                "publisher": text.nullable().described("The broker user that published it."),
                "correlationID": text.nullable().described("Its correlation id."),
                "exchange": text.nullable().described("The exchange it was published to."),
                "routingKey": text.nullable().described("Its routing key."),
                "status": .enumeration(of: ParkedStatus.self).described("parked, or replayed since."),
                "firstParkedAt": JSONSchema.dateTime.described("When it was first set aside."),
                "parkedAt": JSONSchema.dateTime.described("When it was last set aside."),
                "timesParked": JSONSchema.integer(minimum: 1).described("How many times it has been parked."),
                "replays": JSONSchema.integer(minimum: 0).described("How many times operators replayed it."),
                "lastReplayedAt": JSONSchema.dateTime.nullable().described("When it was last replayed."),
                "lastReplayedBy": text.nullable().described("Who replayed it last."),
                "bodyBytes": JSONSchema.integer(minimum: 0).described("The body's size in bytes."),
                "headers": JSONSchema.array(of: ParkedHeader.schema, maxItems: ParkedShow.maxHeaders).nullable()
                    .described(
                        "parked.show only: its headers."),
                "body": JSONSchema.string(maxLength: 2 * ParkedShow.maxBodyBytes).nullable().described(
                    "parked.show only: the body, as bodyEncoding says."),
                "bodyEncoding": JSONSchema.enumeration(of: BodyEncoding.self).nullable().described(
                    "utf8 (as it is) or base64."),
                "bodyTruncated": JSONSchema.boolean.nullable().described("Whether the body is cut short."),
            ],
            required: [
                "messageID", "service", "reason", "detail", "fieldErrors", "status", "firstParkedAt", "parkedAt",
                "timesParked", "replays", "bodyBytes",
            ],
            additionalProperties: true)
    }

    /// The example the contracts' examples share.
    static var example: ParkedMessage {
        ParkedMessage(
            messageID: "3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f", service: "applications",
            type: "npq.application.accept.v1", reason: .ruleViolation,
            detail: "application 6c1f… is withdrawn; a withdrawn application cannot be accepted",
            publisher: "npq-lp-teach-first", correlationID: "3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f",
            exchange: "npq.commands", routingKey: "application.accept.v1", status: .parked,
            firstParkedAt: RFC3339.parse("2026-11-20T09:14:03Z")!, parkedAt: RFC3339.parse("2026-11-20T09:14:03Z")!,
            timesParked: 1, replays: 0, bodyBytes: 74)
    }
}
