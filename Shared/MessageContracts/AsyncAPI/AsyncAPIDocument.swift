/// The suite's AsyncAPI 3.0 document, generated from the contracts so that it cannot drift from them: every message
/// with its payload schema, headers and golden example, one channel per routing key with its AMQP 0.3.0 binding, and
/// the operations an integrator performs.
///
/// The document describes the suite as an integrator sees it, because the contracts say what each message is and
/// where it travels but not which service handles or publishes it: the integrator *sends* every command and query
/// to `npq.commands` (a query with a `reply` through direct reply-to) and *receives* every event from `npq.events`.
/// A query's reply is the reply contract named after it (see ``replyContract(for:)``).
///
/// `npq contract asyncapi` writes ``yaml`` to `docs/asyncapi.yaml`; a test fails when the checked-in file differs.
public struct AsyncAPIDocument: Sendable {
    /// The AsyncAPI version the document follows.
    public static let asyncAPIVersion = "3.0.0"

    /// The version of the AMQP bindings (channel, operation and message) the document uses.
    public static let amqpBindingVersion = "0.3.0"

    /// The id of the channel replies arrive on: the requester's `reply_to`, normally direct reply-to.
    public static let replyChannelID = "reply"

    /// RabbitMQ's direct reply-to pseudo-queue, which requesters consume and name in `reply_to`.
    public static let directReplyTo = "amq.rabbitmq.reply-to"

    /// The first line of ``yaml``, a comment saying where the file comes from.
    public static let generatedNotice =
        "# Generated from MessageContracts by `npq contract asyncapi --output docs/asyncapi.yaml`; do not edit."

    /// The top-level keys in the order AsyncAPI documents usually show them; ``yaml`` writes them first.
    static let topLevelOrder = [
        "asyncapi", "info", "servers", "defaultContentType", "channels", "operations", "components",
    ]

    /// The contracts described, sorted by type name.
    public let contracts: [any MessageContract.Type]

    /// A document of `contracts`, every contract in the catalog unless given.
    public init(contracts: [any MessageContract.Type] = MessageCatalog.all) {
        self.contracts = contracts.sorted { $0.typeName < $1.typeName }
    }

    /// The document as YAML: ``generatedNotice``, then ``jsonValue`` with the usual top-level order and every other
    /// key sorted, so that the same contracts always give the same bytes.
    public var yaml: String {
        Self.generatedNotice + "\n" + jsonValue.yamlString(leadingKeys: Self.topLevelOrder)
    }

    /// The document as a JSON value.
    public var jsonValue: JSONValue {
        [
            "asyncapi": .string(Self.asyncAPIVersion),
            "info": info,
            "servers": Self.servers,
            "defaultContentType": .string(Envelope.jsonContentType),
            "channels": channels,
            "operations": operations,
            "components": [
                "messages": .object(Dictionary(uniqueKeysWithValues: contracts.map { (messageKey($0), message($0)) })),
                "securitySchemes": [
                    "userPassword": [
                        "type": "userPassword",
                        "description": """
                        Your broker user name and password (AMQP PLAIN; over TLS outside development). The broker \
                        puts the user in every message's `user_id` and refuses a message naming another, so the \
                        services authorise by it: lead providers log in as `npq-lp-<provider>`, operators as the \
                        users the suite is configured with.
                        """,
                    ]
                ],
            ],
        ]
    }

    /// The contracts of `kind`, sorted by type name.
    func contracts(ofKind kind: MessageKind) -> [any MessageContract.Type] {
        contracts.filter { $0.kind == kind }
    }

    /// The document's version: the highest contract version, then the number of message types, then 0 — so it
    /// grows when a message type is added (a new version of a type included) and never with the date.
    var version: String {
        "\(contracts.map { $0.version }.max() ?? 1).\(contracts.count).0"
    }

    private var info: JSONValue {
        [
            "title": "NPQ suite messages",
            "version": .string(version),
            "description": .string(Self.description),
            "tags": .array(
                MessageKind.allCases.map { kind in
                    ["name": .string(kind.rawValue), "description": .string(Self.tagDescription(kind))]
                }),
        ]
    }

    /// What each kind of message means to an integrator, for the tags of messages and operations.
    static func tagDescription(_ kind: MessageKind) -> String {
        switch kind {
        case .command: "Asks one service to change something; published to `\(Topology.commandsExchange)`."
        case .event: "A fact a service states; consumed from `\(Topology.eventsExchange)` through a queue of your own."
        case .query: "Asks for data; published to `\(Topology.commandsExchange)` with `reply_to`, answered by a reply."
        case .reply: "The answer to a query, sent to its `reply_to`."
        }
    }

    private static let description = """
        The messages of the NPQ suite, the back office for National Professional Qualifications. Services talk \
        only over AMQP 0-9-1 (RabbitMQ); this document is generated from their shared contracts.

        **Connecting.** Log in with your own broker user. Publish commands and queries to the topic exchange \
        `\(Topology.commandsExchange)`, with publisher confirms and the `mandatory` flag (a message no service \
        queue takes comes back to you). Consume events from the topic exchange `\(Topology.eventsExchange)` through \
        a queue of your own, bound with the routing keys you need. The routing key is the type without the \
        `npq.` prefix: `npq.application.submit.v1` travels with routing key `application.submit.v1`, and a message \
        whose routing key does not match its type is refused.

        **Envelope.** Every body is UTF-8 JSON (camelCase keys, RFC 3339 times, calendar dates as `YYYY-MM-DD`). \
        Every message carries the AMQP properties `message_id` (a UUID, the same on every re-send), `type` (the \
        type name), `content_type` (`application/json`), `delivery_mode` 2, `correlation_id`, `timestamp`, \
        `app_id` and `user_id` (your broker user, checked by the broker; never a field of the body), and \
        `reply_to` for queries; and the headers of its `headers` schema: CloudEvents 1.0 in AMQP binary mode, \
        `causation_id` and `traceparent`. A property and its CloudEvents header must agree when both are present.

        **Queries** use RabbitMQ direct reply-to: consume `\(directReplyTo)` in no-ack mode, then publish the \
        query on the same channel with `reply_to` set to `\(directReplyTo)` and a `correlation_id` of your own; \
        the reply comes back with that `correlation_id`.

        **Refusals and duplicates.** A message that breaks its contract or a rule is parked and answered with \
        the event `message.rejected.v1` (sent to `reply_to` as well when set), naming each field and rule. \
        Delivery is at least once: drop a message whose `message_id` you have seen. Within a version, contracts \
        only gain optional fields, so ignore the fields of an event you do not know; a breaking change is a new \
        type (`.v2`).

        **Version.** The document's version is the highest contract version, then the number of message types; \
        each message keeps its own version in its type name.
        """

    private static let servers: JSONValue = [
        "local": [
            "host": "localhost:5672",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "title": "Development broker",
            "description": """
            The RabbitMQ node `make run` starts (virtual host `/`, user `guest`, password `guest`), which the `npq` \
            tool reaches as `amqp://guest:guest@localhost:5672/`.
            """,
            "security": [["$ref": "#/components/securitySchemes/userPassword"]],
        ],
        "production": [
            "host": "rabbitmq.npq.example.org:5671",
            "protocol": "amqps",
            "protocolVersion": "0.9.1",
            "title": "Production broker (placeholder)",
            "description": """
            A placeholder: the suite's operators give each integrator the host, the virtual host, a broker user \
            and password, and the certificate authority to trust. Connections outside development use TLS \
            (`amqps://`).
            """,
            "security": [["$ref": "#/components/securitySchemes/userPassword"]],
        ],
    ]
}
