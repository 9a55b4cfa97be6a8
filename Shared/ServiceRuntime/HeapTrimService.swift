import CMemory
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Gives the heap's free memory back to the kernel whenever the service goes quiet after some work.
///
/// glibc's allocator keeps what a burst of work frees (starting up, a reference import, a backlog drained) in its
/// per-thread arenas, so an idle service would go on holding the memory its busiest moment needed. Every `tick`
/// this reads the service's activity (``SQLStore/writeTransactions``: every message batch, task, outbox flush and
/// parked message is a write transaction); once a whole tick has passed with none, and there were some since the last
/// time, it calls `malloc_trim(0)` (``npq_release_free_heap``) on NIO's blocking thread pool: it takes each arena's
/// lock in turn and returns pages to the kernel, which is no work for the cooperative pool. Under steady traffic it
/// never runs; after start-up it runs within two ticks.
final class HeapTrimService: Service, Sendable {
    /// A count that grows whenever the service does something.
    let activity: @Sendable () -> Int
    let tick: Duration
    private let trims = Atomic<Int>(0)

    init(activity: @escaping @Sendable () -> Int, tick: Duration = .seconds(1)) {
        self.activity = activity
        self.tick = tick
    }

    /// How many times the heap has been trimmed (for tests).
    var trimCount: Int { trims.load(ordering: .relaxed) }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // Start-up counts as work: the first quiet tick after it trims.
            var seen = -1
            var trimmedAt = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: self.tick)
                let now = self.activity()
                if now == seen && now != trimmedAt {
                    _ = try? await NIOThreadPool.singleton.runIfActive { npq_release_free_heap() }
                    self.trims.add(1, ordering: .relaxed)
                    trimmedAt = now
                }
                seen = now
            }
        }
    }
}
