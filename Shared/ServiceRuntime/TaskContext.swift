import Foundation
import Logging
import MessageContracts
import SQLKit
import Synchronization

/// What a start-up task or a periodic sweep works with: the service's database inside one transaction, "now" from
/// the service's clock, and an outbox for the messages it starts.
///
/// Like ``HandlerContext``, the changes and the queued messages commit together or not at all; unlike it, the
/// messages start new conversations, since no incoming message caused them.
public final class TaskContext: Sendable {
    /// The service's database, inside the transaction.
    public let database: any SQLDatabase
    /// "Now" by the service's clock, read once when the task started.
    public let now: Date
    /// A logger carrying the task's name. Never log personal data at info or above.
    public let logger: Logger
    private let source: String
    private let appID: String
    private let outgoing = Mutex<[OutgoingMessage]>([])

    init(database: any SQLDatabase, now: Date, logger: Logger, source: String, appID: String) {
        self.database = database
        self.now = now
        self.logger = logger
        self.source = source
        self.appID = appID
    }

    /// Queues a message that starts a conversation.
    ///
    /// - Parameter key: what makes this message unique, e.g. `"2026b opened"`; its message id is derived from it,
    ///   so that the same fact published twice (state restored from a backup, say) carries the same id and
    ///   consumers drop the second. Without a key the message gets a new id.
    public func publish<M: MessageContract>(_ payload: M, key: String? = nil) {
        ContractConformance.check(payload)
        var envelope = Envelope.new(for: M.self, source: source, appID: appID, time: now)
        if let key {
            envelope.messageID = DerivedMessageID.make(from: key, purpose: M.typeName)
            envelope.correlationID = envelope.messageID
        }
        outgoing.withLock { $0.append(OutgoingMessage(payload, envelope: envelope)) }
    }

    /// Everything queued so far.
    var messages: [OutgoingMessage] { outgoing.withLock { $0 } }
}
