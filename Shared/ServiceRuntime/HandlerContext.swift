import Foundation
import Logging
import MessageContracts
import SQLKit
import Synchronization

/// What a handler works with while it handles one message, inside that message's database transaction.
///
/// Changes made through ``database`` and messages queued with ``publish(_:)`` or ``reply(_:)`` commit together
/// with the inbox entry, or not at all; the outbox relay publishes the messages after the commit.
public final class HandlerContext: Sendable {
    /// The service's database, inside the transaction.
    public let database: any SQLDatabase
    /// The time to use for "now": the moment handling started.
    public let now: Date
    /// A logger carrying the message id, correlation id and type. Never log personal data at info or above.
    public let logger: Logger
    /// The envelope of the message being handled.
    public let envelope: Envelope
    private let source: String
    private let appID: String
    private let outgoing = Mutex<[OutgoingMessage]>([])

    init(database: any SQLDatabase, now: Date, logger: Logger, envelope: Envelope, source: String, appID: String) {
        self.database = database
        self.now = now
        self.logger = logger
        self.envelope = envelope
        self.source = source
        self.appID = appID
    }

    /// Queues a message caused by the one being handled: same correlation id, causation id = its message id.
    public func publish<M: MessageContract>(_ payload: M) {
        ContractConformance.check(payload)
        let child = Envelope.consequence(of: envelope, type: M.typeName, source: source, appID: appID, time: now)
        outgoing.withLock { $0.append(OutgoingMessage(payload, envelope: child)) }
    }

    /// Queues a reply to the message's `reply_to`, if it has one; returns whether it did.
    @discardableResult
    public func reply<M: MessageContract>(_ payload: M) -> Bool {
        guard let replyTo = envelope.replyTo, !replyTo.isEmpty else { return false }
        ContractConformance.check(payload)
        var reply = Envelope.consequence(of: envelope, type: M.typeName, source: source, appID: appID, time: now)
        reply.correlationID = envelope.correlationID ?? envelope.messageID
        outgoing.withLock {
            $0.append(
                OutgoingMessage(
                    envelope: reply, exchange: "", routingKey: replyTo, body: ContractEncoder.encode(payload),
                    mandatory: false))
        }
        return true
    }

    /// Queues messages the runtime built itself (an operator's replay), committed with the rest.
    func enqueue(_ messages: [OutgoingMessage]) {
        outgoing.withLock { $0.append(contentsOf: messages) }
    }

    /// Everything queued so far.
    var messages: [OutgoingMessage] { outgoing.withLock { $0 } }
}
