import Foundation
import Logging
import MessageContracts
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A swift-log handler writing one JSON object per line, for log collectors that parse rather than read.
///
/// A line looks like
/// `{"ts":"2025-09-01T08:00:00.123Z","level":"info","service":"npq-senco","logger":"consumer","msg":"handled",`
/// `"message.id":"…","correlation.id":"…"}`: fixed fields first, then the metadata flattened with dotted keys
/// (a nested dictionary `message: [id: …]` becomes `message.id`) in sorted order. Metadata named like a fixed field
/// (`ts`, `level`, `logger`, `msg`) is written as `metadata.<key>` so it cannot forge one; `service` in metadata
/// replaces the handler's own.
///
/// Personal data never goes into messages or metadata at `info` or above (see ``LogKey``).
public struct JSONLogHandler: LogHandler {
    /// The logger's label, written as `logger`.
    public let label: String
    /// The service name, written as `service` on every line.
    public let service: String
    /// Metadata attached to every line this handler writes.
    public var metadata: Logger.Metadata = [:]
    /// Metadata looked up at each log call (task-local context such as the message being handled).
    public var metadataProvider: Logger.MetadataProvider?
    /// The lowest level this handler writes.
    public var logLevel: Logger.Level
    /// Receives each finished line (with its newline); standard output unless a test captures them.
    private let output: @Sendable (String) -> Void

    /// Creates a handler; `write` receives whole lines and defaults to ``writeToStandardOutput(_:)``.
    public init(
        label: String,
        service: String,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardOutput
    ) {
        self.label = label
        self.service = service
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.output = write
    }

    /// Looks up or sets one metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Renders `event` as one JSON line and hands it to the writer.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        output(
            Self.render(
                timestamp: Date(), level: event.level, service: service, logger: label,
                message: event.message.description, error: event.error, metadata: merged))
    }

    /// The JSON line for one event, newline included; separate from `log` so the shape is testable on its own.
    static func render(
        timestamp: Date, level: Logger.Level, service: String, logger: String, message: String,
        error: (any Error)? = nil, metadata: Logger.Metadata
    ) -> String {
        var flat: [(key: String, value: Logger.Metadata.Value)] = []
        flatten(metadata, prefix: "", into: &flat)
        var serviceName = service
        var rest: [(key: String, value: Logger.Metadata.Value)] = []
        for entry in flat {
            switch entry.key {
            case LogKey.service: serviceName = "\(entry.value)"
            case "ts", "level", "logger", "msg", "error": rest.append(("metadata." + entry.key, entry.value))
            default: rest.append(entry)
            }
        }
        rest.sort { $0.key < $1.key }

        var line = "{\"ts\":\"" + rfc3339(timestamp) + "\",\"level\":\"" + level.rawValue + "\",\"service\":"
        JSONValue.appendQuoted(serviceName, to: &line)
        line += ",\"logger\":"
        JSONValue.appendQuoted(logger, to: &line)
        line += ",\"msg\":"
        JSONValue.appendQuoted(message, to: &line)
        if let error {
            line += ",\"error\":"
            JSONValue.appendQuoted(String(describing: error), to: &line)
        }
        for entry in rest {
            line += ","
            JSONValue.appendQuoted(entry.key, to: &line)
            line += ":"
            appendValue(entry.value, to: &line)
        }
        line += "}\n"
        return line
    }

    /// Flattens nested dictionaries into dotted keys; arrays stay arrays, since their positions are not names.
    private static func flatten(
        _ metadata: Logger.Metadata, prefix: String, into result: inout [(key: String, value: Logger.Metadata.Value)]
    ) {
        for (key, value) in metadata {
            let fullKey = prefix.isEmpty ? key : prefix + "." + key
            if case .dictionary(let nested) = value {
                flatten(nested, prefix: fullKey, into: &result)
            } else {
                result.append((fullKey, value))
            }
        }
    }

    /// Appends a metadata value as JSON: strings for scalars, arrays and objects for the nested cases.
    private static func appendValue(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            JSONValue.appendQuoted(text, to: &line)
        case .stringConvertible(let convertible):
            JSONValue.appendQuoted(convertible.description, to: &line)
        case .array(let elements):
            line += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { line += "," }
                appendValue(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                JSONValue.appendQuoted(key, to: &line)
                line += ":"
                appendValue(dictionary[key]!, to: &line)
            }
            line += "}"
        }
    }

    /// `date` in RFC 3339, UTC, with milliseconds: `2025-09-01T08:00:00.123Z`.
    ///
    /// Formatted by hand with `gmtime_r` because it runs on every log line and must be thread-safe and cheap.
    static func rfc3339(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.floorDiv(1000))
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(fraction, 3) + "Z"
    }

    /// Serialises writers so that lines from different threads never interleave, even past the pipe's atomic size.
    private static let standardOutputLock = Mutex(())

    /// Writes `line` to standard output in one `write(2)` call (repeated only if the kernel takes part of it).
    public static func writeToStandardOutput(_ line: String) {
        let bytes = Array(line.utf8)
        standardOutputLock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // Nowhere left to report a failing stdout; dropping the line beats crashing.
                    }
                    offset += written
                }
            }
        }
    }
}

#if canImport(Glibc)
    /// `write(2)`, named apart from the handler's own members.
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    /// `write(2)`, named apart from the handler's own members.
    private let systemWrite = Darwin.write
#endif

extension Int64 {
    /// Division rounding towards negative infinity, so dates before 1970 still split into seconds and milliseconds.
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
