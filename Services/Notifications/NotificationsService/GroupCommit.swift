import Synchronization

/// Gathers the items submitted while a flush runs, so that the next flush takes them all (a group commit): under
/// load, one transaction or one `syncfs` for several notifications instead of one each.
///
/// ``submit(_:)`` returns what the flush that took its item returned. The first caller to find no flush running
/// starts one, in a task of its own, which keeps going while items are waiting.
final class GroupCommit<Item: Sendable, Outcome: Sendable>: Sendable {
    private struct State {
        var waiting: [(item: Item, done: CheckedContinuation<Outcome, Never>)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let flush: @Sendable ([Item]) async -> Outcome
    private let executor: (any TaskExecutor)?

    /// - Parameters:
    ///   - executor: where the flushing task prefers to run (the store's writer thread, for a flush that is a
    ///     transaction); the global pool when `nil`.
    ///   - flush: handles every item gathered since the last flush; its outcome goes to each submitter.
    init(executor: (any TaskExecutor)? = nil, flush: @escaping @Sendable ([Item]) async -> Outcome) {
        self.executor = executor
        self.flush = flush
    }

    /// How many submitted items wait for a flush to take them.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Waits for the next flush to take `item`, and returns its outcome.
    func submit(_ item: Item) async -> Outcome {
        await withCheckedContinuation { (done: CheckedContinuation<Outcome, Never>) in
            let start = state.withLock { state in
                state.waiting.append((item, done))
                defer { state.flushing = true }
                return !state.flushing
            }
            if start { Task(executorPreference: executor) { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state in
                defer { state.waiting.removeAll() }
                if state.waiting.isEmpty { state.flushing = false }
                return state.waiting
            }
            if batch.isEmpty { return }
            let outcome = await flush(batch.map(\.item))
            for waiter in batch { waiter.done.resume(returning: outcome) }
        }
    }
}
