import Foundation

/// Runs one of the package's executables (built beside the test runner) to completion and keeps its output.
struct ExecutableRun {
    let status: Int32
    let output: String
    let error: String

    /// The directory of the test runner, where `swift build` puts the executables too.
    static var buildDirectory: URL {
        let runner =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent()
    }

    init(
        _ executable: String, _ arguments: [String], environment: [String: String], timeout: Duration = .seconds(60)
    )
        async throws
    {
        let process = Process()
        process.executableURL = Self.buildDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        status = process.terminationStatus
        output = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
        error = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
    }
}
