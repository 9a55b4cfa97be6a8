import Synchronization

/// Collects the outcomes of a batch of publishes, which complete on the connection's thread in any order, and
/// runs a callback once all are in.
final class PublishResults: Sendable {
    private struct State {
        var results: [Result<Void, AMQPError>?]
        var remaining: Int
        var onComplete: (@Sendable () -> Void)?
    }
    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
    }

    func onComplete(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.remaining == 0 { return true }
            state.onComplete = callback
            return false
        }
        if runNow { callback() }
    }

    func record(_ result: Result<Void, AMQPError>, at index: Int) {
        let callback = state.withLock { state -> (@Sendable () -> Void)? in
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.onComplete : nil
        }
        callback?()
    }

    var results: [Result<Void, AMQPError>] {
        state.withLock { $0.results.map { $0 ?? .failure(AMQPError(.closed, context: "publish")) } }
    }
}

/// Hands out consumer ids, unique within a connection.
final class ConsumerIDSource: Sendable {
    private let counter = Atomic<UInt64>(0)

    func next() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}
