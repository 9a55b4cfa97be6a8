import Foundation

/// Runs blocking work (waiting for a process, writing a file) on a thread of its own, so that the cooperative pool
/// never waits for it.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
