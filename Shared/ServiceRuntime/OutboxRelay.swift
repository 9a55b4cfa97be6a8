import AMQP
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Publishes what handlers committed to the outbox, in commit order, with publisher confirms, and marks each row
/// published once the broker has confirmed it.
///
/// Woken after every commit, and every second in any case (so rows left by a crash go out after a restart). A row
/// whose publish failed transiently (connection lost) is sent again later with the same message id, which
/// consumers dedupe; a row the broker refuses for good (a missing exchange) is set aside with its error, so it does
/// not hold back the rest. On graceful shutdown it keeps publishing until the outbox is empty (or the grace period
/// ends).
final class OutboxRelay: Service, Sendable {
    let store: SQLStore
    let connection: AMQPConnection
    let logger: Logger
    let batchSize: Int
    let gracePeriod: Duration
    let service: String
    /// The service's broker user, sent as `user_id` on everything it publishes: the broker vouches for it, which is
    /// how the runtime knows its own copies (retries, parked copies, replays) from a publisher's forgeries.
    let userID: String?
    private let wake = WakeSignal()

    init(
        store: SQLStore, connection: AMQPConnection, service: String, userID: String?, logger: Logger,
        batchSize: Int = 512, gracePeriod: Duration = .seconds(10)
    ) {
        self.store = store
        self.connection = connection
        self.service = service
        self.userID = userID
        self.logger = logger
        self.batchSize = batchSize
        self.gracePeriod = gracePeriod
    }

    /// Tells the relay there is something new in the outbox.
    func notify() { wake.signal() }

    /// A row the broker keeps refusing (a command nobody consumes yet, say) is set aside after this many tries.
    static let maxAttempts = 50

    func run() async throws {
        // Cancelled at graceful shutdown (or when the group is cancelled). Cancelling fails only publishes not yet
        // sent, and marking confirmed rows runs to completion regardless, so stopping never leaves a confirmed
        // message unmarked, to be sent a second time. The loop runs on the store's writer thread, where its marking
        // transactions run too: a commit's wake-up or a confirm resumes it there, with no hop through the
        // cooperative pool.
        await cancelWhenGracefulShutdown {
            await withTaskExecutorPreference(self.store.writerExecutor) {
                var lastPrune = ContinuousClock.now - .seconds(3600)
                while !Task.isCancelled {
                    let outcome = await self.publishBatch()
                    if ContinuousClock.now - lastPrune > .seconds(3600) {
                        lastPrune = ContinuousClock.now
                        await self.prune()
                    }
                    switch outcome {
                    case .published(let count) where count == self.batchSize: continue
                    case .failed: await self.wake.wait(timeout: .milliseconds(500))
                    default: await self.wake.wait(timeout: .seconds(1))
                    }
                }
            }
        }
        await flush()
    }

    enum BatchOutcome {
        case published(Int)
        case failed
    }

    /// Publishes up to one batch of pending rows.
    func publishBatch() async -> BatchOutcome {
        do {
            let rows = try await store.readOnWriter { try await MessageStore.pending(limit: self.batchSize, in: $0) }
            guard !rows.isEmpty else {
                Gauge(label: "npq_outbox_depth", dimensions: [("service", service)]).record(0)
                return .published(0)
            }
            let userID = self.userID
            let results = await connection.publish(
                rows.map { row in
                    var message = row.message.amqpMessage
                    message.properties.userID = userID
                    return message
                })
            var published: [Int64] = []
            var failures: [(id: Int64, error: AMQPError, giveUp: Bool)] = []
            for (row, result) in zip(rows, results) {
                switch result {
                case .success:
                    published.append(row.id)
                case .failure(let error):
                    // Unroutable is retried too (a queue may be bound later), but not for ever.
                    let permanent = !error.isTransient && error.code != .unroutable
                    failures.append((row.id, error, permanent || row.attempts + 1 >= Self.maxAttempts))
                }
            }
            let now = Date()
            let store = self.store
            // In a task of its own so that a cancelled relay still records what the broker confirmed.
            try await Task(executorPreference: store.writerExecutor) { [published, failures] in
                try await store.transaction { database in
                    try await MessageStore.markPublished(published, at: now, in: database)
                    for failure in failures {
                        try await MessageStore.markFailed(
                            failure.id, error: failure.error.description, giveUp: failure.giveUp, at: now,
                            in: database)
                    }
                }
            }.value
            Counter(label: "npq_outbox_published_total", dimensions: [("service", service)]).increment(
                by: published.count)
            for failure in failures where failure.giveUp {
                logger.error("outbox message refused by the broker; set aside", metadata: ["error": "\(failure.error)"])
            }
            if !failures.isEmpty {
                logger.warning("outbox publish failed; will retry", metadata: ["failed": "\(failures.count)"])
                return .failed
            }
            return .published(published.count)
        } catch {
            logger.warning("outbox relay could not read or update the outbox", metadata: ["error": "\(error)"])
            return .failed
        }
    }

    /// Publishes until the outbox is empty or the grace period is over (a broker that is down does not hold the
    /// shutdown longer; what is left goes out at the next start).
    func flush() async {
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, !Task.isCancelled {
            let outcome = await withTaskGroup(of: BatchOutcome?.self) { group in
                group.addTask { await self.publishBatch() }
                group.addTask {
                    try? await Task.sleep(until: deadline)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            switch outcome {
            case .published(0): return
            case .published: continue
            case .failed: try? await Task.sleep(for: .milliseconds(200))
            case nil: break
            }
        }
        logger.warning("outbox not empty at shutdown; it will be published at the next start")
    }

    private func prune() async {
        let now = Date()
        do {
            try await store.transaction { database in
                try await MessageStore.prune(
                    publishedBefore: now.addingTimeInterval(-24 * 3600),
                    handledBefore: now.addingTimeInterval(-30 * 24 * 3600), in: database)
                try await ParkedStore.prune(replayedBefore: now.addingTimeInterval(-30 * 24 * 3600), in: database)
            }
        } catch {
            logger.warning("could not prune the inbox and outbox", metadata: ["error": "\(error)"])
        }
    }
}
