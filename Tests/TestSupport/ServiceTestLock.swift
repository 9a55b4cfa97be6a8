/// Lets one service-level test at a time run, across every suite and test target in the test process.
///
/// Services under test bind the suite's real exchanges, so two running at once would consume each other's
/// messages (a cohorts test's `cohort.defined` reaching the SENCO service, say). Serialized suites cannot span test
/// targets; this lock can, since every target runs in the same process.
public actor ServiceTestLock {
    public static let shared = ServiceTestLock()

    /// Held while definitions are imported into the test broker (``DeployedBroker/load()``) and by the tests that
    /// wait on direct reply-to for many round trips in a row: in two clean-clone CI runs the broker closed the
    /// `npq` tool's connection with 541 INTERNAL_ERROR just as a definitions import ran.
    public static let definitionsImport = ServiceTestLock()

    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other holder of ``shared`` is running.
    public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await shared.run(body)
    }

    /// Runs `body` once no other holder of this lock is running.
    public nonisolated func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
