import Foundation

/// One run of an executable of this package (built beside the test runner) to completion, with text on its standard
/// input, keeping its exit status and output.
public struct ExecutableRun: Sendable {
    public let status: Int32
    public let output: String
    public let error: String

    /// The repository's root, found from this file.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The directory of the test runner, where `swift build` puts the executables too.
    public static var buildDirectory: URL {
        let runner =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent()
    }

    /// The output's lines, without the final newline.
    public var lines: [String] {
        output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Runs `executable arguments` in `directory` (the repository unless given) with `input` on standard input and
    /// `environment` added to this process's (less its `NPQ_*` variables); terminated after `timeout`.
    public init(
        _ executable: String, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        in directory: URL = ExecutableRun.repository, timeout: Duration = .seconds(60)
    ) async throws {
        let process = Process()
        process.executableURL = Self.buildDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let temporary = FileManager.default.temporaryDirectory
        let inputFile = temporary.appendingPathComponent(UUID().uuidString)
        let outputFile = temporary.appendingPathComponent(UUID().uuidString)
        let errorFile = temporary.appendingPathComponent(UUID().uuidString)
        _ = FileManager.default.createFile(atPath: inputFile.path, contents: Data(input.utf8))
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            for file in [inputFile, outputFile, errorFile] { try? FileManager.default.removeItem(at: file) }
        }
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
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
