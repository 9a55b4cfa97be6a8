import Foundation
import Logging
import NIOPosix
import SMTP

/// Why a delivery attempt failed, and whether trying again can help.
struct DeliveryFailure: Error, Sendable {
    /// A permanent failure (550 mailbox unknown, a webhook's 4xx other than 429) is not retried.
    var permanent: Bool
    /// What the server said, or what went wrong; kept in the delivery log (it may name the address, so it is never
    /// logged at info or above).
    var reason: String
    /// A short, personal-data-free description for logs, e.g. `smtp 550 at rcpt`.
    var summary: String
}

/// Where emails go: a mail server, or the mail-drop folder.
protocol EmailTransport: Sendable {
    /// Delivers `message`; returns what the transport said (a mail server's final reply, or the file written).
    func deliver(_ message: SMTPRenderedMessage, logger: Logger) async throws(DeliveryFailure) -> String
}

/// Sends through a mail server with the SMTP client (STARTTLS, AUTH), as `NPQ_SMTP_URL` says.
struct SMTPTransport: EmailTransport {
    let client: SMTPClient

    func deliver(_ message: SMTPRenderedMessage, logger: Logger) async throws(DeliveryFailure) -> String {
        do {
            let delivery = try await client.send(message, logger: logger)
            return "\(delivery.reply.code) \(delivery.reply.text)"
        } catch {
            // Only a refusal of this message (its recipient, its content) is final for it. A fault of the relay
            // itself — its certificate, STARTTLS or AUTH, a sender policy — would fail every notification alike;
            // those are retried, so that fixing the relay lets them all through.
            let aboutThisMessage: Set<SMTPStage> = [.composition, .rcpt, .data, .message]
            throw DeliveryFailure(
                permanent: error.isPermanent && aboutThisMessage.contains(error.stage), reason: error.description,
                summary: "smtp \(error.code) at \(error.stage)\(error.reply.map { " (\($0.code))" } ?? "")")
        }
    }
}

/// Writes each email as `<notification id>.eml` into a folder, the embedded default when no mail server is
/// configured: the bytes are exactly what a mail server would receive. Writing is atomic (a temporary file renamed),
/// and a file already there means the email was delivered before.
struct MailDropTransport: EmailTransport {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func deliver(_ message: SMTPRenderedMessage, logger: Logger) async throws(DeliveryFailure) -> String {
        let name = message.messageID.split(separator: "@").first.map(String.init) ?? message.messageID
        let path = "\(directory)/\(name).eml"
        let bytes = message.bytes
        do {
            // File system calls block: they run on NIO's thread pool, not on the cooperative pool.
            return try await NIOThreadPool.singleton.runIfActive {
                if FileManager.default.fileExists(atPath: path) { return "already in the mail drop: \(name).eml" }
                let temporary = "\(path).\(UUID().uuidString).tmp"
                try Data(bytes).write(to: URL(fileURLWithPath: temporary))
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
                return "written to the mail drop: \(name).eml"
            }
        } catch {
            throw DeliveryFailure(
                permanent: false, reason: "cannot write to the mail drop \(directory): \(error)",
                summary: "mail drop write failed")
        }
    }
}
