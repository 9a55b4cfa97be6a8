import Foundation
import MessageContracts

/// How `npq parked` prints what the services answer.
enum ParkedOutput {
    static func json<M: MessageContract>(_ message: M) -> String {
        String(decoding: ContractEncoder.encode(message), as: UTF8.self)
    }

    /// One line per message, with a headline saying how many there are.
    static func table(_ result: ParkedListResult, offset: Int) -> String {
        guard !result.messages.isEmpty else {
            return result.total == 0
                ? "\(result.service): no parked messages match."
                : "\(result.service): \(result.total) match; none after the first \(offset)."
        }
        let first = offset + 1
        let last = offset + result.messages.count
        let headline =
            "\(result.service): \(result.total) parked message\(result.total == 1 ? "" : "s") match"
            + (result.total > result.messages.count ? " (showing \(first) to \(last), newest first)" : "")
        let rows = result.messages.map { message -> [String] in
            [
                message.messageID, RFC3339.format(message.parkedAt), shortType(message.type), message.reason.rawValue,
                message.publisher ?? "-", message.status == .parked ? "\(message.timesParked)" : "replayed",
                oneLine(message.detail, limit: 70),
            ]
        }
        return safe(
            headline + "\n" + textTable(["ID", "PARKED AT", "TYPE", "REASON", "PUBLISHER", "TIMES", "DETAIL"], rows))
    }

    /// Everything about one message, then its body (JSON pretty-printed).
    static func details(_ message: ParkedMessage) -> String {
        var lines = [
            "Message     \(message.messageID)",
            "Service     \(message.service)",
            "Type        \(message.type ?? "(none)")",
            "Status      \(message.status.rawValue)",
            "Reason      \(message.reason.rawValue)",
            "Detail      \(message.detail)",
            "Publisher   \(message.publisher ?? "(not stated)")",
            "Published   \(message.exchange ?? "?") with routing key \(message.routingKey ?? "?")",
            "Correlation \(message.correlationID ?? "(none)")",
            "Parked      \(RFC3339.format(message.parkedAt)) (first \(RFC3339.format(message.firstParkedAt)); "
                + "\(message.timesParked) time\(message.timesParked == 1 ? "" : "s"))",
        ]
        if message.replays > 0 {
            lines.append(
                "Replayed    \(message.replays) time\(message.replays == 1 ? "" : "s"), last "
                    + "\(message.lastReplayedAt.map(RFC3339.format) ?? "?") by \(message.lastReplayedBy ?? "?")")
        }
        if !message.fieldErrors.isEmpty {
            lines.append("Field errors")
            lines += message.fieldErrors.map {
                "  \($0.field.isEmpty ? "(body)" : $0.field): \($0.message) [\($0.rule)]"
            }
        }
        if let headers = message.headers, !headers.isEmpty {
            lines.append("Headers")
            lines += headers.map { "  \($0.name): \(oneLine($0.value, limit: 200))" }
        }
        lines.append("Body (\(message.bodyBytes) bytes\(message.bodyTruncated == true ? ", cut short here" : ""))")
        lines.append(prettyBody(message))
        return safe(lines.joined(separator: "\n"))
    }

    /// The body as bytes, decoded from base64 when the service gave it so.
    static func bodyBytes(_ message: ParkedMessage) -> Data {
        guard let body = message.body else { return Data() }
        if message.bodyEncoding == .base64 { return Data(base64Encoded: body) ?? Data() }
        return Data(body.utf8)
    }

    static func summary(_ result: ParkedReplayed) -> String {
        var lines = [
            "Replayed \(result.replayed) message\(result.replayed == 1 ? "" : "s") to \(result.service)"
                + (result.replayed == 0 ? "." : ": they are handled again, and parked again if still refused.")
        ]
        if result.replayed > 0 && result.replayed <= 20 { lines += result.messageIDs.map { "  \($0)" } }
        if result.remaining > 0 {
            lines.append("\(result.remaining) more match: run the same replay again for the next ones.")
        }
        if !result.notFound.isEmpty { lines.append("Not found: \(result.notFound.joined(separator: ", "))") }
        if !result.notParked.isEmpty {
            lines.append("Already replayed (not parked again): \(result.notParked.joined(separator: ", "))")
        }
        if !result.notReplayable.isEmpty {
            lines.append(
                "Too large to have been kept whole, so not replayable: \(result.notReplayable.joined(separator: ", "))")
        }
        return safe(lines.joined(separator: "\n"))
    }

    static func summary(_ result: ParkedPurged) -> String {
        var lines = ["Purged \(result.purged) parked message\(result.purged == 1 ? "" : "s") of \(result.service)."]
        if !result.notFound.isEmpty { lines.append("Not found: \(result.notFound.joined(separator: ", "))") }
        return safe(lines.joined(separator: "\n"))
    }

    /// `text` with its control characters (but newlines and tabs) shown as `\u{…}`: parked messages come from anyone,
    /// and an escape sequence in one must not reach the operator's terminal.
    static func safe(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(value) {
                result += "\\u{\(String(value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `npq.application.accept.v1` as `application.accept.v1`.
    private static func shortType(_ type: String?) -> String {
        guard let type else { return "-" }
        return type.hasPrefix(MessageType.typeNamePrefix)
            ? String(type.dropFirst(MessageType.typeNamePrefix.count)) : type
    }

    /// `text` on one line, cut to `limit` characters.
    private static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    private static func prettyBody(_ message: ParkedMessage) -> String {
        guard let body = message.body else { return "(none)" }
        guard message.bodyEncoding == .utf8 else { return "(not UTF-8; base64)\n" + body }
        if let object = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            message.bodyTruncated != true
        {
            return String(decoding: pretty, as: UTF8.self)
        }
        return body
    }
}
