import Foundation
import Testing

@testable import ServiceRuntime

@Suite("The wake-up signal between a commit and the loops that wait for work")
struct WakeSignalTests {
    /// Waits until `signal` has a task waiting on it (the waiter has registered), or fails after 30 s.
    private func untilWaiting(_ signal: WakeSignal) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !signal.isWaiting {
            try #require(ContinuousClock.now < deadline, "the waiter never started waiting")
            await Task.yield()
        }
    }

    /// Starts a wait of a minute on `signal`, applies `wake` once the waiter waits, and returns how long the wait took.
    private func minuteWait(
        on signal: WakeSignal, wokenBy wake: (Task<Void, Never>) -> Void
    ) async throws -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        let waiter = Task { await signal.wait(timeout: .seconds(60)) }
        try await untilWaiting(signal)
        wake(waiter)
        await waiter.value
        return clock.now - started
    }

    @Test("a signal sent while nobody waits is kept, once, for the next wait")
    func keepsOneSignal() async throws {
        let signal = WakeSignal()
        signal.signal()
        signal.signal()
        let clock = ContinuousClock()
        let first = await clock.measure { await signal.wait(timeout: .seconds(60)) }
        #expect(first < .seconds(30))
        // The two signals were kept as one: the second wait runs to its timeout.
        let second = await clock.measure { await signal.wait(timeout: .milliseconds(50)) }
        #expect(second >= .milliseconds(50))
        #expect(signal.timersStarted == 1)
    }

    @Test("a waiter is woken by a signal long before its timeout, and by its timeout when no signal comes")
    func wakesOnSignalOrTimeout() async throws {
        let signal = WakeSignal()
        #expect(try await minuteWait(on: signal, wokenBy: { _ in signal.signal() }) < .seconds(30))

        let timedOut = await ContinuousClock().measure { await signal.wait(timeout: .milliseconds(100)) }
        #expect(timedOut >= .milliseconds(100))
        #expect(timedOut < .seconds(30))
    }

    @Test("a thousand signalled waits share a timer, and a shorter timeout after a longer one is kept")
    func sharesOneTimer() async throws {
        let signal = WakeSignal()
        for _ in 0..<1000 {
            _ = try await minuteWait(on: signal, wokenBy: { _ in signal.signal() })
        }
        // One timer, armed for the first wait's deadline, serves the waits after it: it sleeps on from one deadline to
        // the next instead of one sleeping task per wait. (A timer that first runs between a signal and the next wait
        // finds nobody waiting and ends, and the next wait starts another: a few at most, never one per wait.)
        let shared = signal.timersStarted
        #expect(shared >= 1 && shared < 50, "\(shared) timers for 1,000 waits")

        // A live timer sleeps towards a deadline a minute away; a wait of 100 ms starts its own and does not wait for
        // the other.
        let clock = ContinuousClock()
        let short = await clock.measure { await signal.wait(timeout: .milliseconds(100)) }
        #expect(short >= .milliseconds(100))
        #expect(short < .seconds(30))
        #expect(signal.timersStarted == shared + 1)
    }

    @Test("cancelling the waiting task wakes it")
    func cancellationWakes() async throws {
        let signal = WakeSignal()
        #expect(try await minuteWait(on: signal, wokenBy: { $0.cancel() }) < .seconds(30))
        #expect(!signal.isWaiting)
    }
}
