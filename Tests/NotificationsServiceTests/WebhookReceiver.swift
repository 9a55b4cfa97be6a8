import Foundation
import NPQTestSupport
import Synchronization

/// A real HTTP receiver for webhook tests (`scripts/webhook-test-receiver.py`): it checks each call's Standard
/// Webhooks signature with Python's own HMAC, records it, and answers 500 to the first `failFirst` calls and
/// `status` afterwards.
final class WebhookReceiver: Sendable {
    struct Call: Decodable, Sendable {
        let id: String
        let timestamp: String
        let signature: String
        let verified: Bool
        let body: String
        let status: Int
        let contentType: String
    }

    let port: Int
    let record: URL
    private let process: Mutex<Process?>

    var url: String { "http://127.0.0.1:\(port)/npq" }

    init(secret: String, failFirst: Int = 0, status: Int = 200, bodyBytes: Int = 2) throws {
        let python = try SMTPTestServer.pythonPath()
        record = FileManager.default.temporaryDirectory.appendingPathComponent("npq-webhook-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: record.path, contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/webhook-test-receiver.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, "--secret", secret, "--record", record.path, "--fail-first", "\(failFirst)", "--status",
            "\(status)", "--body-bytes", "\(bodyBytes)",
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

    struct ReceiverFailed: Error, CustomStringConvertible {
        var description: String { "the webhook test receiver did not start" }
    }

    /// Every call received so far, in order.
    func calls() throws -> [Call] {
        let text = try String(contentsOf: record, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Call.self, from: Data($0.utf8)) }
    }

    /// Kills the receiver. SIGKILL, not SIGTERM: a child started from a test thread inherits its blocked signals,
    /// and may never see SIGTERM.
    func stop() {
        process.withLock { process in
            if let running = process, running.isRunning {
                kill(running.processIdentifier, SIGKILL)
                running.waitUntilExit()
            }
            process = nil
        }
        try? FileManager.default.removeItem(at: record)
    }

    deinit { stop() }
}
