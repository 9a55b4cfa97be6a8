import CMemory
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Gives the heap's free memory back to the kernel whenever the service goes quiet after some work.
///
/// glibc's allocator keeps what a burst of work frees (starting up, a reference import, a backlog drained) in its
/// per-thread arenas, so an idle service would go on holding the memory its busiest moment needed. Every `tick`
/// this looks at how many transactions the service has committed (``activity``); once a whole tick has passed
/// with none, and some were committed since the last time, it calls `malloc_trim(0)` (``npq_release_free_heap``) on
/// NIO's blocking thread pool: it takes each arena's lock in turn and returns pages to the kernel, which is no work for
/// the cooperative pool. Under steady traffic it never runs; after start-up it runs within two ticks.
final class HeapTrimService: Service, Sendable {
    /// Counts the service's commits: the consumer's batches, start-up, periodic and background tasks.
    final class Activity: Sendable {
        private let commits = Atomic<Int>(0)

        func recordCommit() { commits.add(1, ordering: .relaxed) }

        var count: Int { commits.load(ordering: .relaxed) }
    }

    let activity: Activity
    let tick: Duration
    private let trims = Atomic<Int>(0)

    init(activity: Activity, tick: Duration = .seconds(1)) {
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
                let now = self.activity.count
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
