import AMQP
import Foundation
import MessageContracts
import ServiceRuntime
import Synchronization

/// Sends an import's commands through RabbitMQ's direct reply-to and keeps whatever comes back to each of them.
///
/// Direct reply-to needs no permission to declare a queue, so it works for the operator's broker user as deployed
/// (which may declare none). A service sends a refusal (`message.rejected`) to the `reply_to` of every command it
/// refuses, and a reply to those whose handler answers; the cohorts commands answer nothing when they succeed, so
/// the import learns of their success from npq-cohorts' state instead (see ``ReferenceCohortImport``). Each message
/// is its own request (its message id is its correlation id), waiting in the background until its reply comes, its
/// time is up or ``stopWaiting()`` is called.
final class ReferenceSender: Sendable {
    let client: NPQClient
    private let replies = Mutex<[String: AMQPReply]>([:])
    private let failure = Mutex<AMQPError?>(nil)
    private let waiting = Mutex<[String: Task<Void, Never>]>([:])

    init(client: NPQClient) { self.client = client }

    /// `payload` with the suite's envelope, as ``NPQClient`` sends it, but with the given message id, which is also
    /// its correlation id.
    func message<M: MessageContract>(_ payload: M, id messageID: String) -> AMQPMessage {
        var envelope = Envelope.new(for: M.self, source: client.source, appID: client.appID)
        envelope.messageID = messageID
        envelope.correlationID = messageID
        var message = OutgoingMessage(payload, envelope: envelope).amqpMessage
        message.properties.userID = client.userID
        return message
    }

    /// Sends `message` and keeps its reply if one comes within `limit`.
    ///
    /// A broker failure (no queue for the message, the connection lost) is kept, and thrown by ``checkFailure()``.
    func send(_ message: AMQPMessage, waitingUpTo limit: Duration) {
        let id = message.properties.correlationID ?? message.properties.messageID ?? ""
        let connection = client.connection
        let task = Task { [self] in
            do throws(AMQPError) {
                let reply = try await connection.request(message, timeout: limit)
                replies.withLock { $0[id] = reply }
            } catch {
                guard error.code != .timeout, error.code != .cancelled else { return }
                failure.withLock { $0 = $0 ?? error }
            }
        }
        waiting.withLock { $0[id] = task }
    }

    /// The reply to the message with `id`, once it has come.
    func reply(to id: String) -> AMQPReply? { replies.withLock { $0[id] } }

    /// The refusal of the message with `id`, once it has come.
    func refusal(of id: String) -> MessageRejected? {
        guard let reply = reply(to: id), reply.properties.type == MessageRejected.typeName else { return nil }
        return try? ContractDecoder.decode(MessageRejected.self, from: reply.body)
    }

    /// Throws the first broker failure met while sending.
    func checkFailure() throws(AMQPError) {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Stops waiting for replies to everything sent so far.
    func stopWaiting() {
        let tasks = waiting.withLock { waiting in
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for task in tasks { task.cancel() }
    }
}
