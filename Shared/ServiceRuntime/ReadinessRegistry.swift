import Synchronization

/// The named checks that decide whether the service is ready for work (`GET /health/ready`).
///
/// Each part of the service registers what it knows about: the consumer registers `broker`, the store `database`,
/// the topology step `topology`. Checks should report state the component already tracks (a connection flag)
/// rather than do I/O, because a load balancer may poll every second and a slow check makes the probe time out.
public final class ReadinessRegistry: Sendable {
    /// A check: quick, and safe to call from any task.
    public typealias Check = @Sendable () async -> ReadinessResult

    /// The checks by name, guarded because components register while the HTTP server is already evaluating.
    private let checks = Mutex<[String: Check]>([:])

    /// Creates an empty registry, which reports ready.
    public init() {}

    /// Adds the check `name`, replacing an earlier one of the same name (a reconnecting component re-registers).
    public func register(_ name: String, check: @escaping Check) {
        checks.withLock { $0[name] = check }
    }

    /// Removes the check `name`, for a component that has stopped on purpose.
    public func unregister(_ name: String) {
        _ = checks.withLock { $0.removeValue(forKey: name) }
    }

    /// Runs every check concurrently and collects their results; a check that has not answered within `timeout`
    /// counts as not ready ("timed out"), so one stuck check cannot hold every probe open.
    public func evaluate(timeout: Duration = .seconds(2)) async -> ReadinessReport {
        let current = checks.withLock { $0 }
        var results: [String: ReadinessResult] = [:]
        await withTaskGroup(of: (String, ReadinessResult).self) { group in
            for (name, check) in current {
                group.addTask { (name, await Self.answer(of: check, within: timeout)) }
            }
            for await (name, result) in group { results[name] = result }
        }
        return ReadinessReport(results: results)
    }

    /// The check's result, or `.notReady("timed out")`. The check runs in a task of its own: one that never returns
    /// is left behind rather than waited for.
    private static func answer(of check: @escaping Check, within timeout: Duration) async -> ReadinessResult {
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.set(continuation)
            Task { first.resume(with: await check()) }
            Task {
                try? await Task.sleep(for: timeout)
                first.resume(with: .notReady("timed out"))
            }
        }
    }

    /// Resumes a continuation with whichever answer comes first.
    private final class FirstAnswer: Sendable {
        private let continuation = Mutex<CheckedContinuation<ReadinessResult, Never>?>(nil)

        func set(_ continuation: CheckedContinuation<ReadinessResult, Never>) {
            self.continuation.withLock { $0 = continuation }
        }

        func resume(with result: ReadinessResult) {
            continuation.withLock { stored in
                stored?.resume(returning: result)
                stored = nil
            }
        }
    }
}
