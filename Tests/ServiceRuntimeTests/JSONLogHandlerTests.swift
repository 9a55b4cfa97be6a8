import Foundation
import Logging
import Synchronization
import Testing

@testable import ServiceRuntime

/// The shape of a JSON log line: fixed fields, flattened dotted metadata, one object per line.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// Collects the lines a handler writes.
    final class LineCollector: Sendable {
        private let storage = Mutex<[String]>([])
        var lines: [String] { storage.withLock { $0 } }
        func append(_ line: String) { storage.withLock { $0.append(line) } }
    }

    /// A logger writing JSON lines into `collector`.
    private func logger(_ collector: LineCollector, level: Logger.Level = .info) -> Logger {
        Logger(label: "consumer") { label in
            JSONLogHandler(label: label, service: "npq-senco", logLevel: level, write: collector.append)
        }
    }

    /// The one JSON object in `line`.
    private func object(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("a line holds ts, level, service, logger, msg and the metadata under dotted keys")
    func lineShape() throws {
        let collector = LineCollector()
        var log = logger(collector)
        log[metadataKey: LogKey.consumer] = "npq.npq-senco"
        log.info(
            "handled",
            metadata: [
                LogKey.messageID: "7f1c", LogKey.correlationID: "c-1",
                "message": ["type": "npq.application.submitted.v1"], "attempt": "\(2)",
            ])

        let lines = collector.lines
        try #require(lines.count == 1)
        let line = lines[0]
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line.hasPrefix(#"{"ts":""#))
        let json = try object(line)
        #expect(json["level"] as? String == "info")
        #expect(json["service"] as? String == "npq-senco")
        #expect(json["logger"] as? String == "consumer")
        #expect(json["msg"] as? String == "handled")
        #expect(json["message.id"] as? String == "7f1c")
        #expect(json["correlation.id"] as? String == "c-1")
        #expect(json["message.type"] as? String == "npq.application.submitted.v1")
        #expect(json["consumer"] as? String == "npq.npq-senco")
        #expect(json["attempt"] as? String == "2")
        let timestamp = try #require(json["ts"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
    }

    @Test("timestamps are RFC 3339 in UTC with milliseconds")
    func timestamp() {
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: 1_700_000_000.123)) == "2023-11-14T22:13:20.123Z")
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test("quotes, newlines and control characters are escaped so the line stays one JSON object")
    func escaping() throws {
        let collector = LineCollector()
        logger(collector).warning("say \"hi\"\nthen\tgo \u{1}", metadata: ["path": "C:\\temp"])
        let line = try #require(collector.lines.first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        let json = try object(line)
        #expect(json["msg"] as? String == "say \"hi\"\nthen\tgo \u{1}")
        #expect(json["path"] as? String == "C:\\temp")
    }

    @Test("metadata cannot overwrite the fixed fields, but may set the service")
    func reservedKeys() throws {
        let collector = LineCollector()
        logger(collector).info("real", metadata: ["msg": "forged", "level": "critical", "service": "npq-other"])
        let json = try object(try #require(collector.lines.first))
        #expect(json["msg"] as? String == "real")
        #expect(json["level"] as? String == "info")
        #expect(json["metadata.msg"] as? String == "forged")
        #expect(json["metadata.level"] as? String == "critical")
        #expect(json["service"] as? String == "npq-other")
    }

    @Test("lines below the handler's level are not written, arrays stay arrays")
    func levelsAndArrays() throws {
        let collector = LineCollector()
        let log = logger(collector, level: .notice)
        log.info("dropped")
        log.error("kept", metadata: ["ids": ["a", "b"]])
        #expect(collector.lines.count == 1)
        let json = try object(try #require(collector.lines.first))
        #expect(json["ids"] as? [String] == ["a", "b"])
    }

    @Test("metadata from a provider is included, and per-call metadata wins")
    func provider() throws {
        let collector = LineCollector()
        let provider = Logger.MetadataProvider { [LogKey.correlationID: "from-provider", "tenant": "t1"] }
        let log = Logger(label: "x") { label in
            JSONLogHandler(label: label, service: "s", metadataProvider: provider, write: collector.append)
        }
        log.info("m", metadata: [LogKey.correlationID: "explicit"])
        let json = try object(try #require(collector.lines.first))
        #expect(json["correlation.id"] as? String == "explicit")
        #expect(json["tenant"] as? String == "t1")
    }
}
