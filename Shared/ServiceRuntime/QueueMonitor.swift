import AMQP
import Foundation
import Logging
import MessageContracts
import Metrics
import ServiceLifecycle
import Synchronization

/// Counts the service's queues on the broker every few seconds (a passive declare each), for `npq status` and the
/// `npq_queue_messages` and `npq_queue_consumers` gauges, and its outbox and parked messages in its database, for
/// `npq_outbox_depth` and `npq_parked_messages`.
///
/// The counts are kept rather than taken when asked, so that a status query does not wait on the broker inside its
/// database transaction.
final class QueueMonitor: Service, Sendable {
    /// The last counts, and when they were taken.
    struct Snapshot: Sendable {
        var queues: [ServiceStatusResult.Queue]
        var countedAt: Date
    }

    let connection: AMQPConnection
    let store: SQLStore
    let service: String
    let queues: [String]
    let interval: Duration
    let logger: Logger
    private let latest = Mutex<Snapshot?>(nil)

    init(
        connection: AMQPConnection, store: SQLStore, topology: ServiceTopology, interval: Duration = .seconds(5),
        logger: Logger
    ) {
        self.connection = connection
        self.store = store
        self.service = topology.service
        self.queues = [topology.queue] + topology.retryTiers.map(\.queue) + [topology.parkedQueue]
        self.interval = interval
        self.logger = logger
    }

    /// The last counts, or `nil` before the first.
    var snapshot: Snapshot? { latest.withLock { $0 } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.countStored()
                if self.connection.state.isConnected { await self.count() }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// The outbox's backlog and the parked messages, from the database.
    private func countStored() async {
        do {
            let (outbox, parked) = try await store.read { database in
                (try await MessageStore.depth(in: database), try await ParkedStore.counts(in: database).parked)
            }
            Gauge(label: "npq_outbox_depth", dimensions: [("service", service)]).record(outbox)
            Gauge(label: "npq_parked_messages", dimensions: [("service", service)]).record(parked)
        } catch {
            logger.debug("could not count the outbox", metadata: ["error": "\(error)"])
        }
    }

    private func count() async {
        var counted: [ServiceStatusResult.Queue] = []
        for queue in queues {
            do {
                let (messages, consumers) = try await connection.inspectQueue(queue)
                counted.append(.init(name: queue, messages: messages, consumers: consumers))
                Gauge(label: "npq_queue_messages", dimensions: [("queue", queue)]).record(messages)
                Gauge(label: "npq_queue_consumers", dimensions: [("queue", queue)]).record(consumers)
            } catch {
                // Not declared yet, or the connection dropped: the next round tries again.
                logger.debug("could not count a queue", metadata: ["queue": "\(queue)", "error": "\(error)"])
                return
            }
        }
        latest.withLock { $0 = Snapshot(queues: counted, countedAt: Date()) }
    }
}
