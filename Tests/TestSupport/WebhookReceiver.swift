import Foundation
import Synchronization

/// A real HTTP receiver for webhook tests (`scripts/webhook-test-receiver.py`): it checks each call's Standard
/// Webhooks signature with Python's own HMAC, records it, and answers 500 to the first `failFirst` calls and
/// `status` afterwards — unless told otherwise while it runs (``behave(_:)``).
public final class WebhookReceiver: Sendable {
    public struct Call: Decodable, Sendable {
        public let id: String
        public let timestamp: String
        public let signature: String
        public let verified: Bool
        public let body: String
        public let status: Int
        public let contentType: String
    }

    /// How the receiver answers from now on (``behave(_:)``).
    public enum Behaviour: String, Sendable {
        /// As started: `failFirst` 500s, then `status`.
        case normal
        /// 500 to every call.
        case fail = "500"
        /// Holds every call for 30 s before answering 503: longer than a sender's timeout.
        case stall
    }

    public let port: Int
    public let record: URL
    private let modeFile: URL
    private let process: Mutex<Process?>

    public var url: String { "http://127.0.0.1:\(port)/npq" }

    public init(secret: String, failFirst: Int = 0, status: Int = 200, bodyBytes: Int = 2) throws {
        let python = try SMTPTestServer.pythonPath()
        record = FileManager.default.temporaryDirectory.appendingPathComponent("npq-webhook-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: record.path, contents: nil)
        modeFile = record.deletingPathExtension().appendingPathExtension("mode")
        try Data(Behaviour.normal.rawValue.utf8).write(to: modeFile)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/webhook-test-receiver.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, "--secret", secret, "--record", record.path, "--fail-first", "\(failFirst)", "--status",
            "\(status)", "--body-bytes", "\(bodyBytes)", "--mode-file", modeFile.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            if byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverFailed()
        }
        self.port = port
        self.process = Mutex(process)
    }

    public struct ReceiverFailed: Error, CustomStringConvertible {
        public var description: String { "the webhook test receiver did not start" }
    }

    /// Changes how the receiver answers the calls that arrive from now on.
    public func behave(_ behaviour: Behaviour) throws {
        try Data(behaviour.rawValue.utf8).write(to: modeFile, options: .atomic)
    }

    /// Every call recorded so far, in order: the complete lines of the record (the receiver may be writing the last).
    public func calls() throws -> [Call] {
        let text = try String(contentsOf: record, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // after the last newline: empty, or a line still being written
        return try lines.map { try JSONDecoder().decode(Call.self, from: Data($0.utf8)) }
    }

    /// Kills the receiver. SIGKILL, not SIGTERM: a child started from a test thread inherits its blocked signals,
    /// and may never see SIGTERM.
    public func stop() {
        process.withLock { process in
            if let running = process, running.isRunning {
                kill(running.processIdentifier, SIGKILL)
                running.waitUntilExit()
            }
            process = nil
        }
        try? FileManager.default.removeItem(at: record)
        try? FileManager.default.removeItem(at: modeFile)
    }

    deinit { stop() }
}
