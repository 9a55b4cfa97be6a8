import Foundation

extension Envelope {
    /// The AMQP property names, used in errors so that they name what the publisher must fix.
    enum PropertyName {
        static let messageID = "message_id"
        static let type = "type"
    }

    /// The CloudEvents binary-mode headers for this envelope, plus `causation_id` and
    /// `traceparent` when they are set.
    public var cloudEventsHeaders: [String: String] {
        var headers = [
            EnvelopeHeader.specVersion: Self.cloudEventsSpecVersion,
            EnvelopeHeader.id: messageID,
            EnvelopeHeader.source: source,
            EnvelopeHeader.type: type,
            EnvelopeHeader.time: RFC3339.format(time),
        ]
        if let causationID {
            headers[EnvelopeHeader.causationID] = causationID
        }
        if let traceparent {
            headers[EnvelopeHeader.traceparent] = traceparent
        }
        return headers
    }

    /// Rebuilds an envelope from a delivery's AMQP properties and headers.
    ///
    /// The AMQP property wins where it and its CloudEvents header both exist, and they must agree;
    /// either may be missing, because integrators publishing plain AMQP need not know CloudEvents.
    /// Empty strings count as missing. A malformed `traceparent` is dropped rather than refused,
    /// as W3C trace context asks, since losing a trace is better than losing a message.
    ///
    /// - Parameters:
    ///   - receivedAt: the time used when neither `cloudEvents_time` nor `timestamp` is present.
    /// - Throws: an ``EnvelopeError`` naming the property when the message id is missing or not a
    ///   UUID, the type is missing, the spec version is not 1.0, or the time cannot be parsed.
    public init(
        headers: [String: String],
        messageID: String?,
        correlationID: String?,
        type: String?,
        appID: String?,
        userID: String?,
        replyTo: String?,
        timestamp: Date?,
        receivedAt: Date = Date()
    ) throws(EnvelopeError) {
        func present(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            return value
        }

        if let specVersion = present(headers[EnvelopeHeader.specVersion]), specVersion != Self.cloudEventsSpecVersion {
            throw EnvelopeError(
                code: .invalid, property: EnvelopeHeader.specVersion,
                message: "\(EnvelopeHeader.specVersion) must be \"1.0\", but was \"\(specVersion)\"")
        }

        let id = try Self.agreeing(
            property: PropertyName.messageID, present(messageID), header: EnvelopeHeader.id,
            present(headers[EnvelopeHeader.id]))
        guard let id else {
            throw EnvelopeError(
                code: .missing, property: PropertyName.messageID,
                message: "message_id is required; set it to a UUID that stays the same when the message is re-sent")
        }
        guard StringFormat.isUUID(id) else {
            throw EnvelopeError(
                code: .invalid, property: PropertyName.messageID,
                message: "message_id must be a UUID like 3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e04, but was \"\(id)\"")
        }

        let typeName = try Self.agreeing(
            property: PropertyName.type, present(type), header: EnvelopeHeader.type,
            present(headers[EnvelopeHeader.type]))
        guard let typeName else {
            throw EnvelopeError(
                code: .missing, property: PropertyName.type,
                message: "type is required; set it to the message type, like npq.application.submit.v1")
        }

        let time: Date
        if let text = present(headers[EnvelopeHeader.time]) {
            guard let parsed = RFC3339.parse(text) else {
                throw EnvelopeError(
                    code: .invalid, property: EnvelopeHeader.time,
                    message:
                        "\(EnvelopeHeader.time) must be an RFC 3339 date and time like 2024-09-01T09:30:00.000Z, but was \"\(text)\""
                )
            }
            time = parsed
        } else {
            time = timestamp ?? receivedAt
        }

        let appID = present(appID)
        self.init(
            messageID: id,
            correlationID: present(correlationID),
            causationID: present(headers[EnvelopeHeader.causationID]),
            type: typeName,
            source: present(headers[EnvelopeHeader.source]) ?? appID.map { "urn:npq:app:\($0)" } ?? "urn:npq:unknown",
            time: time,
            appID: appID,
            userID: present(userID),
            replyTo: present(replyTo),
            traceparent: present(headers[EnvelopeHeader.traceparent]).flatMap { TraceParent($0)?.description })
    }

    /// The value of an AMQP property and of the header that mirrors it, which must agree when both exist.
    private static func agreeing(
        property: String, _ propertyValue: String?, header: String, _ headerValue: String?
    ) throws(EnvelopeError) -> String? {
        if let propertyValue, let headerValue, propertyValue != headerValue {
            throw EnvelopeError(
                code: .conflicting, property: header,
                message:
                    "\(header) must equal the \(property) property (\"\(propertyValue)\"), but was \"\(headerValue)\"")
        }
        return propertyValue ?? headerValue
    }
}
