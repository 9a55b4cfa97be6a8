import Foundation
import Logging
import MessageContracts
import SQLKit

/// What message handlers and tasks have in common: a database inside one transaction, "now", a logger, and an
/// outbox whose messages commit with the transaction. Code that applies a change the same way whether a command or
/// a start-up import asked for it takes one of these.
public protocol TransactionContext: Sendable {
    var database: any SQLDatabase { get }
    var now: Date { get }
    var logger: Logger { get }
    /// Queues a message to publish once the transaction commits.
    func publish<M: MessageContract>(_ payload: M)
}

extension HandlerContext: TransactionContext {}

extension TaskContext: TransactionContext {
    public func publish<M: MessageContract>(_ payload: M) { publish(payload, key: nil) }
}
