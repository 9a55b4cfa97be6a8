import Synchronization

/// Wakes one waiting task, or the next one to wait; signals that arrive while nobody waits are kept as one.
/// Cancelling the waiting task wakes it too.
///
/// The timeouts share one timer task, which sleeps until the current wait's deadline and is re-armed only when it
/// wakes: a busy service waits and is signalled hundreds of times a second (after every commit), and a sleeping task
/// per wait would cost a timer and a thread wake-up each, long after the wait itself was over.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        /// The waiting task, and when it gives up waiting.
        var waiter: (continuation: CheckedContinuation<Void, Never>, deadline: ContinuousClock.Instant)?
        /// The live timer task's number, and the deadline it sleeps towards; `nil` when there is none. A timer
        /// whose number is no longer here ends when it wakes.
        var timer: (id: UInt64, until: ContinuousClock.Instant)?
        var timers: UInt64 = 0
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending), after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (now, newTimer) = state.withLock { state -> (Bool, UInt64?) in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return (true, nil)
                    }
                    let deadline = ContinuousClock.now + timeout
                    state.waiter = (continuation, deadline)
                    // The live timer wakes in time for this deadline, or sooner: it sleeps on from there.
                    if let timer = state.timer, timer.until <= deadline { return (false, nil) }
                    state.timers += 1
                    state.timer = (state.timers, deadline)
                    return (false, state.timers)
                }
                if now { continuation.resume() }
                if let newTimer { Task { await self.runTimer(newTimer) } }
            }
        } onCancel: {
            self.signal()
        }
    }

    /// Whether a task waits now (for tests).
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }

    /// How many timer tasks have been started so far (for tests).
    var timersStarted: UInt64 { state.withLock { $0.timers } }

    /// Sleeps until the waiter's deadline and wakes it if it is still waiting then; sleeps on while someone waits
    /// with a later deadline, and ends when nobody waits.
    private func runTimer(_ id: UInt64) async {
        while true {
            let deadline = state.withLock { state -> ContinuousClock.Instant? in
                guard state.timer?.id == id else { return nil }
                guard let waiter = state.waiter else {
                    state.timer = nil
                    return nil
                }
                state.timer = (id, waiter.deadline)
                return waiter.deadline
            }
            guard let deadline else { return }
            try? await Task.sleep(until: deadline, clock: .continuous)
            let expired = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.deadline <= .now else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            expired?.resume()
        }
    }
}
