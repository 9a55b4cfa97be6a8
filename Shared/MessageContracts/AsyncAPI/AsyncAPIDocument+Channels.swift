extension AsyncAPIDocument {
    /// The id of the channel of `contract` under `channels`: its routing key, which is also the channel's address.
    /// Replies have no channel of their own; they share ``replyChannelID``.
    public static func channelID(_ contract: any MessageContract.Type) -> String {
        contract.kind == .reply ? replyChannelID : contract.routingKey
    }

    /// The id of the operation of `contract` under `operations`: `send` for a command or query, `receive` for an
    /// event, then the message key (`sendApplicationSubmitV1`, `receiveApplicationSubmittedV1`); `nil` for a reply,
    /// which is the `reply` of its query's operation.
    public static func operationID(_ contract: any MessageContract.Type) -> String? {
        switch contract.kind {
        case .command, .query: "send" + messageKey(contract)
        case .event: "receive" + messageKey(contract)
        case .reply: nil
        }
    }

    /// The reply contract that answers `query`, found by name: `<query>.result` (`cohort.list` → `cohort.list.result`),
    /// or, for a query whose name ends in `get`, that word replaced (`senco.status.get` → `senco.status.result`); the
    /// same version as the query when there is one, else the newest. `nil` when there is none — a test requires one
    /// for every query in the catalog.
    public func replyContract(for query: any MessageContract.Type) -> (any MessageContract.Type)? {
        var names = [query.name + ".result"]
        if query.name.hasSuffix(".get") {
            names.append(String(query.name.dropLast(".get".count)) + ".result")
        }
        for name in names {
            let replies = contracts.filter { $0.kind == .reply && $0.name == name }
            if let reply = replies.first(where: { $0.version == query.version })
                ?? replies.max(by: { $0.version < $1.version })
            {
                return reply
            }
        }
        return nil
    }

    /// One channel per command, query and event — its routing key on its exchange — and the reply channel.
    var channels: JSONValue {
        var channels: [String: JSONValue] = [:]
        for contract in contracts where contract.kind != .reply {
            let key = messageKey(contract)
            channels[Self.channelID(contract)] = [
                "address": .string(contract.routingKey),
                "title": .string(contract.typeName),
                "description": .string(
                    "Messages of type `\(contract.typeName)` on the exchange `\(contract.exchange)`, routing key "
                        + "`\(contract.routingKey)`."),
                "messages": [key: ["$ref": .string("#/components/messages/\(key)")]],
                "bindings": [
                    "amqp": [
                        "is": "routingKey",
                        "exchange": [
                            "name": .string(contract.exchange),
                            "type": "topic",
                            "durable": true,
                            "autoDelete": false,
                            "vhost": "/",
                        ],
                        "bindingVersion": .string(Self.amqpBindingVersion),
                    ]
                ],
            ]
        }
        channels[Self.replyChannelID] = replyChannel
        return .object(channels)
    }

    /// The messages that can come back to a query's `reply_to`: every reply, and `message.rejected` when a service
    /// refuses the query.
    var replyMessages: [any MessageContract.Type] {
        contracts.filter { $0.kind == .reply || $0.typeName == MessageRejected.typeName }
    }

    private var replyChannel: JSONValue {
        [
            "address": .null,
            "title": "Replies",
            "description": .string(
                """
                The requester's `reply_to`, so its address is known only at run time: normally RabbitMQ's direct \
                reply-to, `\(Self.directReplyTo)`, consumed in no-ack mode on the channel that publishes the query. \
                Services send replies through the default exchange with the query's `correlation_id`.
                """),
            "messages": .object(
                Dictionary(
                    uniqueKeysWithValues: replyMessages.map { contract in
                        let key = messageKey(contract)
                        return (key, ["$ref": .string("#/components/messages/\(key)")])
                    })),
            "bindings": [
                "amqp": [
                    "is": "queue",
                    "queue": [
                        "name": .string(Self.directReplyTo),
                        "exclusive": true,
                        "vhost": "/",
                    ],
                    "bindingVersion": .string(Self.amqpBindingVersion),
                ]
            ],
        ]
    }

    /// One operation per command and query (`send`) and per event (`receive`); a query's has a `reply`.
    var operations: JSONValue {
        var operations: [String: JSONValue] = [:]
        for contract in contracts {
            guard let id = Self.operationID(contract) else { continue }
            operations[id] = operation(contract)
        }
        return .object(operations)
    }

    private func operation(_ contract: any MessageContract.Type) -> JSONValue {
        let channel = Self.channelID(contract)
        var operation: [String: JSONValue] = [
            "action": contract.kind == .event ? "receive" : "send",
            "channel": ["$ref": .string("#/channels/\(channel)")],
            "title": .string(contract.typeName),
            "summary": .string(contract.summary),
            "description": .string(Self.operationDescription(contract)),
            "messages": [["$ref": .string("#/channels/\(channel)/messages/\(messageKey(contract))")]],
            "tags": [["name": .string(contract.kind.rawValue)]],
        ]
        switch contract.kind {
        case .command, .query:
            operation["bindings"] = [
                "amqp": [
                    "deliveryMode": 2, "mandatory": true, "timestamp": true,
                    "bindingVersion": .string(Self.amqpBindingVersion),
                ]
            ]
        case .event, .reply:
            operation["bindings"] = ["amqp": ["ack": true, "bindingVersion": .string(Self.amqpBindingVersion)]]
        }
        if contract.kind == .query {
            let answers = [replyContract(for: contract), MessageRejected.self].compactMap { $0 }
                .filter { answer in replyMessages.contains { $0.typeName == answer.typeName } }
            operation["reply"] = [
                "address": [
                    "location": "$message.header#/reply_to",
                    "description": .string(
                        "The query's AMQP `reply_to` property (not a header), normally `\(Self.directReplyTo)`."),
                ],
                "channel": ["$ref": .string("#/channels/\(Self.replyChannelID)")],
                "messages": .array(
                    answers.map { ["$ref": .string("#/channels/\(Self.replyChannelID)/messages/\(messageKey($0))")] }),
            ]
        }
        return .object(operation)
    }

    /// What the integrator does, in words.
    static func operationDescription(_ contract: any MessageContract.Type) -> String {
        switch contract.kind {
        case .command:
            return """
                Publish to `\(contract.exchange)` with routing key `\(contract.routingKey)`, persistent, with \
                publisher confirms and the `mandatory` flag. The service that handles it refuses a message that \
                breaks the contract or a rule with `message.rejected.v1`; set `reply_to` and `correlation_id` to \
                have that refusal, or the answer the summary names, sent to you as well.
                """
        case .query:
            return """
                Publish to `\(contract.exchange)` with routing key `\(contract.routingKey)`, `reply_to` and a \
                `correlation_id` of your own; the reply, or `message.rejected.v1` when the query is refused, comes \
                to `reply_to`.
                """
        case .event:
            return """
                Bind a queue of your own to `\(contract.exchange)` with routing key `\(contract.routingKey)`. \
                Delivery is at least once: drop a message whose `message_id` you have seen; ignore fields you do \
                not know.
                """
        case .reply:
            return "Sent to the `reply_to` of its query."
        }
    }
}
