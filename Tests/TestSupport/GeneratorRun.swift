import Foundation

/// One run of a generator script of the repository (`scripts/definitions.py`, `scripts/dev-reference.py`) with Python
/// (`NPQ_TEST_PYTHON`, set by the test command, else python3), in the repository.
public struct GeneratorRun: Sendable {
    public let status: Int32
    public let error: String

    public init(_ arguments: [String]) async throws {
        let python = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
        process.arguments = (python == nil ? ["python3"] : []) + arguments
        process.currentDirectoryURL = ExecutableRun.repository
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("npq-generator-\(UUID())")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()
        status = process.terminationStatus
        error = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }
}
