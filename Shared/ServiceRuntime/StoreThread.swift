import Foundation
import Synchronization

/// A thread of its own that runs Swift jobs, for code that calls SQLite.
///
/// SQLite's calls block (disk I/O, waiting out another process's lock), so they must not run on Swift's cooperative
/// threads. ``SQLStore`` runs each transaction's whole body on one of these through a task executor preference:
/// the handler's own code and every statement it issues then run here one after another, with no thread hop per
/// statement. The service's long-lived loops (the consumer, the outbox relay, background workers) prefer the writer's
/// thread too (``SQLStore/writerExecutor``), so their transactions cost no hop at all. Code isolated to an actor
/// still runs on that actor and comes back here afterwards.
///
/// Jobs run in the order they were enqueued. ``stop()`` lets the jobs already queued finish and ends the thread;
/// until then the thread keeps its executor alive.
final class StoreThread: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs`, `stopping`, `ended` and `endWaiters`; the thread waits on it when there is nothing to run.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var ended = false
    private var endWaiters: [CheckedContinuation<Void, Never>] = []
    /// The thread's id, reported by the thread itself when it starts.
    private let threadID = Mutex<pthread_t?>(nil)

    /// Starts the thread, named `name` for debuggers and `top -H`.
    init(name: String) {
        let thread = Thread { self.run() }
        thread.name = name
        thread.start()
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool {
        let current = pthread_self()
        return threadID.withLock { id in id.map { pthread_equal($0, current) != 0 } ?? false }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the jobs already enqueued run, ends the thread and returns once it has ended; later jobs would never
    /// run, so the owner stops the thread only once nothing uses it. Idempotent.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if ended {
                condition.unlock()
                continuation.resume()
                return
            }
            stopping = true
            endWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    private func run() {
        threadID.withLock { $0 = pthread_self() }
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                ended = true
                let waiters = endWaiters
                endWaiters = []
                condition.unlock()
                for waiter in waiters { waiter.resume() }
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
