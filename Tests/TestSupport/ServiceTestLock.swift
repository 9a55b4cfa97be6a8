/// Lets one service-level test at a time run, across every suite and test target in the test process.
///
/// Services under test bind the suite's real exchanges, so two running at once would consume each other's
/// messages (a cohorts test's `cohort.defined` reaching the SENCO service, say). Serialized suites cannot span test
/// targets; this lock can, since every target runs in the same process.
public actor ServiceTestLock {
    public static let shared = ServiceTestLock()

    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other holder is running.
    public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
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
