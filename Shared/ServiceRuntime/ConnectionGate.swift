import Synchronization

/// A first-come, first-served async lock: one holder at a time, the others suspended (not blocking a thread).
///
/// ``SQLStore`` keeps one per connection so that a transaction's statements never interleave with another task's
/// on the same connection; SQLite's own locking only separates connections.
final class ConnectionGate: Sendable {
    /// Whether someone holds the gate, and who waits in arrival order.
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Creates an open gate.
    init() {}

    /// Waits until the gate is free and takes it; the caller must call ``release()`` exactly once afterwards.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Hands the gate to the longest waiter, or opens it when nobody waits.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    /// Runs `body` holding the gate. A caller cancelled while it waited for its turn gives the gate straight back
    /// and throws `CancellationError` instead of running `body` (a transaction nobody waits for any more).
    func withGate<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        try Task.checkCancellation()
        return try await body()
    }
}
