import AMQP
import Foundation
import Logging
import MessageContracts

/// Talks to the suite as an integrator or tool does: sends commands and asks queries over the broker, with the
/// standard envelope.
///
/// ```swift
/// let client = NPQClient(connection: connection, source: "urn:npq:tool:npq", appID: "npq", userID: "npq-operator")
/// let result = try await client.ask(CohortList(registration: .open), expecting: CohortListResult.self)
/// ```
public struct NPQClient: Sendable {
    public let connection: AMQPConnection
    /// The CloudEvents source of what this client sends.
    public let source: String
    /// The AMQP `app_id` of what this client sends.
    public let appID: String
    /// The broker user the connection logged in as, sent as `user_id` so that the broker vouches for it and services
    /// can authorise by it; `nil` sends none.
    public let userID: String?

    public init(connection: AMQPConnection, source: String, appID: String, userID: String?) {
        self.connection = connection
        self.source = source
        self.appID = appID
        self.userID = userID
    }

    /// The AMQP message for `payload` with a new envelope and this client's `user_id`.
    private func message<M: MessageContract>(_ payload: M) -> (AMQPMessage, messageID: String) {
        let envelope = Envelope.new(for: M.self, source: source, appID: appID)
        var message = OutgoingMessage(payload, envelope: envelope).amqpMessage
        message.properties.userID = userID
        return (message, envelope.messageID)
    }

    /// Publishes a command (confirmed, mandatory) and returns its message id.
    @discardableResult
    public func send<C: MessageContract>(_ command: C) async throws -> String {
        let (message, messageID) = message(command)
        try await connection.publish(message)
        return messageID
    }

    /// Asks a query and waits for its reply.
    ///
    /// - Throws: ``QueryRejectedError`` when the service refused the query (its reason and field errors), an
    ///   `AMQPError` with code `timeout` when no reply came in time, or ``UnexpectedReplyError`` for a reply of
    ///   another type.
    public func ask<Q: MessageContract, R: MessageContract>(
        _ query: Q, expecting reply: R.Type, timeout: Duration = .seconds(15)
    ) async throws -> R {
        let response = try await connection.request(message(query).0, timeout: timeout)
        switch response.properties.type {
        case R.typeName:
            return try ContractDecoder.decode(R.self, from: response.body)
        case MessageRejected.typeName:
            throw QueryRejectedError(rejection: try ContractDecoder.decode(MessageRejected.self, from: response.body))
        case let other:
            throw UnexpectedReplyError(expected: R.typeName, received: other ?? "no type")
        }
    }

    /// Asks a query several services answer (each for itself) and collects their answers until `expected` have come
    /// or `timeout` has passed: each a reply, or why not — the service's refusal (``QueryRejectedError``), a reply
    /// that breaks its contract, or one of another type (``UnexpectedReplyError``). One bad answer spoils no other.
    public func gather<Q: MessageContract, R: MessageContract>(
        _ query: Q, expecting reply: R.Type, expected: Int, timeout: Duration = .seconds(5)
    ) async throws -> [Result<R, any Error>] {
        let replies = try await connection.gatherReplies(message(query).0, expected: expected, timeout: timeout)
        return replies.map { response in
            Result {
                switch response.properties.type {
                case R.typeName:
                    return try ContractDecoder.decode(R.self, from: response.body)
                case MessageRejected.typeName:
                    throw QueryRejectedError(
                        rejection: try ContractDecoder.decode(MessageRejected.self, from: response.body))
                case let other:
                    throw UnexpectedReplyError(expected: R.typeName, received: other ?? "no type")
                }
            }
        }
    }
}
