extension AsyncAPIDocument {
    /// The example message id and causation id: fixed, so that the document is the same on every run.
    static let exampleMessageID = "0b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93"
    static let exampleCausationID = "3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e04"

    /// The key of `contract` under `components/messages` (and in its channels): the name's words and the version in
    /// upper camel case, e.g. `ApplicationSubmitV1` for `npq.application.submit.v1`, a form code generators take as
    /// a type name.
    public static func messageKey(_ contract: any MessageContract.Type) -> String {
        let words = contract.name.split(whereSeparator: { $0 == "." || $0 == "-" })
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "V\(contract.version)"
    }

    func messageKey(_ contract: any MessageContract.Type) -> String {
        Self.messageKey(contract)
    }

    /// The payload schema as the document embeds it: ``MessageContract/schemaDocument`` (the schema titled with the
    /// type name and described by the summary) without `$schema` and `$id`. AsyncAPI's default schema format is
    /// draft-07 compatible and names its own format, and code generators for AsyncAPI fail on embedded `$id`s;
    /// `npq contract schema` prints the standalone document with both.
    public static func payload(_ contract: any MessageContract.Type) -> JSONValue {
        guard case .object(var members) = contract.schemaDocument else { return contract.schemaDocument }
        members["$schema"] = nil
        members["$id"] = nil
        return .object(members)
    }

    /// The application headers a message of `contract` carries, as a schema: CloudEvents 1.0 binary mode,
    /// `causation_id` and `traceparent`. All optional, since a publisher may leave out a header whose AMQP property
    /// it sets; open to others, such as the `x-npq-` headers of a retried or parked message.
    public static func headersSchema(_ contract: any MessageContract.Type) -> JSONSchema {
        .object(
            [
                EnvelopeHeader.specVersion: .constant(.string(Envelope.cloudEventsSpecVersion))
                    .described("The CloudEvents spec version."),
                EnvelopeHeader.id: .uuid.described("The CloudEvents id: the same as the AMQP `message_id` property."),
                EnvelopeHeader.source: .uri.described(
                    "Who published the message: `urn:npq:service:<service>` for the suite's services, "
                        + "`urn:npq:app:<application>` for others; taken from `app_id` when missing."),
                EnvelopeHeader.type: .constant(.string(contract.typeName))
                    .described("The CloudEvents type: the same as the AMQP `type` property."),
                EnvelopeHeader.time: .dateTime.described(
                    "When the message was created, RFC 3339 in UTC with milliseconds; taken from the AMQP "
                        + "`timestamp` property when missing."),
                EnvelopeHeader.causationID: .uuid.described(
                    "The `message_id` of the message whose handling produced this one; set by the services."),
                EnvelopeHeader.traceparent: .string(pattern: "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                    .described("W3C trace context, `00-<trace id>-<span id>-<flags>`; a malformed value is ignored."),
            ], required: [], additionalProperties: true
        )
        .described("The AMQP headers of the message. Its AMQP properties are described in the document's info.")
    }

    /// The example headers of `contract`: a command or query as an integrator sends it, an event or reply with the
    /// `causation_id` the services set. (Their `cloudEvents_source` names the publishing service, which the contracts
    /// do not say, so the example leaves it out.)
    public static func exampleHeaders(_ contract: any MessageContract.Type) -> JSONValue {
        var headers: [String: JSONValue] = [
            EnvelopeHeader.specVersion: .string(Envelope.cloudEventsSpecVersion),
            EnvelopeHeader.id: .string(exampleMessageID),
            EnvelopeHeader.type: .string(contract.typeName),
            EnvelopeHeader.time: "2026-11-22T09:30:00.000Z",
            EnvelopeHeader.traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ]
        switch contract.kind {
        case .command, .query:
            headers[EnvelopeHeader.source] = "urn:npq:app:your-front-end"
        case .event, .reply:
            headers[EnvelopeHeader.causationID] = .string(exampleCausationID)
        }
        return .object(headers)
    }

    /// The message object of `contract` under `components/messages`.
    func message(_ contract: any MessageContract.Type) -> JSONValue {
        [
            "name": .string(messageKey(contract)),
            "title": .string(contract.typeName),
            "summary": .string(contract.summary),
            "description": .string(Self.messageDescription(contract)),
            "contentType": .string(Envelope.jsonContentType),
            "tags": [["name": .string(contract.kind.rawValue)]],
            "headers": Self.headersSchema(contract).jsonValue,
            "payload": Self.payload(contract),
            "correlationId": [
                "description": """
                The AMQP `correlation_id` property (not a header): the id of the conversation, which every message \
                it causes carries on; a query's reply carries the query's.
                """,
                "location": "$message.header#/correlation_id",
            ],
            "bindings": [
                "amqp": [
                    "messageType": .string(contract.typeName),
                    "bindingVersion": .string(Self.amqpBindingVersion),
                ]
            ],
            "examples": [
                [
                    "name": "golden",
                    "summary": .string(
                        "The contract's golden example "
                            + "(Tests/MessageContractsTests/Fixtures/\(contract.typeName).json)."
                    ),
                    "headers": Self.exampleHeaders(contract),
                    "payload": contract.exampleJSON,
                ]
            ],
        ]
    }

    /// Where the message travels and how it is told apart, in words.
    static func messageDescription(_ contract: any MessageContract.Type) -> String {
        let identity = "AMQP `type` `\(contract.typeName)`"
        switch contract.kind {
        case .command:
            return "A command: publish it to `\(contract.exchange)` with routing key `\(contract.routingKey)` and "
                + "\(identity)."
        case .query:
            return "A query: publish it to `\(contract.exchange)` with routing key `\(contract.routingKey)`, "
                + "\(identity), `reply_to` and `correlation_id`; the reply comes to `reply_to`."
        case .event:
            return "An event on `\(contract.exchange)` with routing key `\(contract.routingKey)` and \(identity)."
        case .reply:
            return "A reply, sent through the default exchange to the query's `reply_to` with the query's "
                + "`correlation_id` and \(identity)."
        }
    }
}
