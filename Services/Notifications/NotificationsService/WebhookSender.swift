import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import MessageContracts
import NIOCore
import NIOHTTP1
import NotificationsDomain
import ServiceRuntime

/// Signs webhook calls the Standard Webhooks way: headers `webhook-id` (the notification id, so a receiver can drop
/// repeats), `webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature`, `v1,` and the base64
/// HMAC-SHA256 of `<id>.<timestamp>.<body>` under the secret (the base64 after `whsec_`).
enum WebhookSigner {
    /// Refuses a webhook a school registers that cannot be used: not `https` (unless allowed for local use), or a
    /// secret that is not `whsec_` and base64 of at least 24 bytes.
    static func check(_ webhook: SchoolWebhook, allowLocal: Bool) throws {
        guard let url = URL(string: webhook.url), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw MessageRejection.field("webhook.url", rule: "uri", "the webhook URL is not an absolute URL")
        }
        guard scheme == "https" || (scheme == "http" && allowLocal) else {
            throw MessageRejection.field(
                "webhook.url", rule: "https_required",
                "a webhook must be https (http is accepted only where the operator set NPQ_WEBHOOK_ALLOW_HTTP for local use)"
            )
        }
        // A school's endpoint is on the internet: an address of this machine or a private network would let a
        // registration probe what the service can reach.
        guard allowLocal || !isLocal(host) else {
            throw MessageRejection.field(
                "webhook.url", rule: "public_host",
                "a webhook must be on a public host, not localhost, a loopback, private or link-local address")
        }
        guard let key = key(webhook.secret), (24...64).contains(key.count) else {
            throw MessageRejection.field(
                "webhook.secret", rule: "secret_format",
                "the secret must be whsec_ followed by base64 of 24 to 64 bytes")
        }
    }

    /// Whether `host` names this machine or a private, link-local or otherwise non-public address, written as a name
    /// (`localhost`, `*.localhost`, `*.local`, `*.internal`) or an IP literal. Names are not resolved here.
    static func isLocal(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || [".localhost", ".local", ".internal"].contains(where: name.hasSuffix) { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        if parts.count == 4 {
            switch (parts[0], parts[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127): return true
            default: return parts[0] >= 224
            }
        }
        if name.contains(":") {
            return name == "::1" || name == "::" || name.hasPrefix("fe80:") || name.hasPrefix("fc")
                || name.hasPrefix("fd") || name.hasPrefix("::ffff:")
        }
        return false
    }

    /// The signing key of `secret`, or `nil` when it is not `whsec_` and base64.
    static func key(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) else {
            return nil
        }
        return [UInt8](data)
    }

    /// `v1,<base64 signature>` of `body` sent as notification `id` at `timestamp`.
    static func signature(secret: String, id: String, timestamp: Int, body: String) -> String? {
        guard let key = key(secret) else { return nil }
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(code).base64EncodedString()
    }

    /// The JSON body of a school's notice: `type`, `timestamp`, and `data` with the notice's facts.
    static func payload(
        id: UUID, kind: NotificationKind, school: String, applicationID: UUID?, subject: String,
        values: NotificationValues, at time: Date
    ) -> String {
        var data: [String: JSONValue] = [
            "notificationID": .string(id.uuidString.lowercased()), "kind": .string(kind.rawValue),
            "schoolURN": .string(school), "subject": .string(subject),
        ]
        if let applicationID { data["applicationID"] = .string(applicationID.uuidString.lowercased()) }
        for (name, value) in values.texts where name != "recipientName" { data[name] = .string(value) }
        for (name, value) in values.flags { data[name] = .bool(value) }
        return JSONValue.object([
            "type": .string("npq.notification.\(kind.rawValue)"), "timestamp": .string(RFC3339.format(time)),
            "data": .object(data),
        ]).jsonString()
    }
}

/// The webhook did not answer, body included, within the timeout.
struct WebhookTimeout: Error, CustomStringConvertible {
    var description: String { "no complete answer within the timeout" }
}

/// Posts signed webhook calls with AsyncHTTPClient: no redirects followed, a timeout per call; 2xx is delivered,
/// 408, 429 and 5xx or a network failure are tried again later, any other answer is permanent.
struct WebhookSender: Sendable {
    let timeout: Duration

    /// One client for the process: it lives as long as the program, so it is never shut down.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60))))

    func deliver(
        url: String, secret: String, id: UUID, body: String, at time: Date
    ) async throws(DeliveryFailure) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        let messageID = id.uuidString.lowercased()
        guard let signature = WebhookSigner.signature(secret: secret, id: messageID, timestamp: timestamp, body: body)
        else {
            throw DeliveryFailure(
                permanent: true, reason: "the school's webhook secret is not usable", summary: "webhook bad secret")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "npq-notifications")
        request.headers.add(name: "webhook-id", value: messageID)
        request.headers.add(name: "webhook-timestamp", value: "\(timestamp)")
        request.headers.add(name: "webhook-signature", value: signature)
        request.body = .bytes(ByteBuffer(string: body))
        // The whole call, the answer's body included, is bounded by the timeout: a receiver that trickles its answer
        // cannot hold a delivery slot.
        let timeout = self.timeout
        let prepared = request
        let (code, answer): (Int, String)
        do {
            (code, answer) = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                group.addTask {
                    let response = try await Self.client.execute(prepared, timeout: .seconds(3_600))
                    // The status decides; the answer is kept only as words for the log, and an answer too long to
                    // keep is not a failure.
                    let text = (try? await response.body.collect(upTo: 4_096)).map { String(buffer: $0) } ?? ""
                    return (
                        Int(response.status.code),
                        String(text.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
                    )
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw WebhookTimeout()
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            throw DeliveryFailure(
                permanent: false, reason: "webhook call failed: \(error)", summary: "webhook unreachable")
        }
        let said = "HTTP \(code)" + (answer.isEmpty ? "" : ": \(answer)")
        switch code {
        case 200..<300:
            return said
        case 408, 429, 500..<600:
            throw DeliveryFailure(permanent: false, reason: said, summary: "webhook \(code)")
        default:
            throw DeliveryFailure(permanent: true, reason: said, summary: "webhook \(code)")
        }
    }
}
