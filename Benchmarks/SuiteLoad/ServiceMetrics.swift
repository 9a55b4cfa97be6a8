import AsyncHTTPClient
import NIOCore

/// What a service's `/metrics` (Prometheus text) says about its traffic: the messages its consumer took, by type and
/// outcome (`npq_messages_total`), the messages its outbox published (`npq_outbox_published_total`) and the time its
/// handlers took (`npq_handler_duration_seconds`).
struct ServiceMetrics: Sendable, Equatable {
    /// `npq_messages_total` by `type` and `outcome`, keyed `"<type> <outcome>"`.
    var messages: [String: Double] = [:]
    var outboxPublished: Double = 0
    var handlerSeconds: Double = 0
    var handlerCount: Double = 0

    /// Every message the consumer took, whatever became of it.
    var consumed: Double { messages.values.reduce(0, +) }

    /// Messages that were not simply handled (refused, retried, parked, requeued); duplicates are fine.
    var troubled: [String: Double] {
        messages.filter { !$0.key.hasSuffix(" handled") && !$0.key.hasSuffix(" duplicate") && $0.value > 0 }
    }

    /// Reads `http://127.0.0.1:<port>/metrics`.
    static func scrape(port: Int) async throws -> ServiceMetrics {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw ScrapeError(port: port, status: Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return ServiceMetrics(prometheus: String(buffer: body))
    }

    /// Parses the lines of the Prometheus text format this benchmark needs; ignores the others.
    init(prometheus text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            let name = series.prefix { $0 != "{" && $0 != " " }
            let labels = Self.labels(series.dropFirst(name.count))
            switch name {
            case "npq_messages_total":
                messages["\(labels["type"] ?? "?") \(labels["outcome"] ?? "?")", default: 0] += value
            case "npq_outbox_published_total": outboxPublished += value
            case "npq_handler_duration_seconds_sum": handlerSeconds += value
            case "npq_handler_duration_seconds_count": handlerCount += value
            default: break
            }
        }
    }

    init() {}

    /// `{a="x",b="y"}` as a dictionary (values are plain here: no escaped quotes).
    private static func labels(_ text: Substring) -> [String: String] {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return [:] }
        var labels: [String: String] = [:]
        for pair in text.dropFirst().dropLast().split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].trimmingPrefix("\"").dropLast(parts[1].hasSuffix("\"") ? 1 : 0))
        }
        return labels
    }

    /// The change from `earlier` to this reading.
    func since(_ earlier: ServiceMetrics) -> ServiceMetrics {
        var delta = ServiceMetrics()
        delta.messages = messages.merging(earlier.messages.mapValues { -$0 }, uniquingKeysWith: +).filter {
            $0.value != 0
        }
        delta.outboxPublished = outboxPublished - earlier.outboxPublished
        delta.handlerSeconds = handlerSeconds - earlier.handlerSeconds
        delta.handlerCount = handlerCount - earlier.handlerCount
        return delta
    }

    /// `/metrics` did not answer 200.
    struct ScrapeError: Error, CustomStringConvertible {
        let port: Int
        let status: Int
        var description: String { "http://127.0.0.1:\(port)/metrics answered \(status)" }
    }
}
