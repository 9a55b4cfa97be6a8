import CFileSystem
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
///
/// An email counts as delivered once it is on disk, name and all, as a mail server's reply means it has stored it.
/// Instead of an `fsync` per file, the emails written while one flush runs share the next: one `syncfs` of the
/// folder's file system (a ``GroupCommit``).
struct MailDropTransport: EmailTransport {
    let directory: String
    private let folder: MailDropFolder

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        folder = try MailDropFolder(directory)
    }

    func deliver(_ message: SMTPRenderedMessage, logger: Logger) async throws(DeliveryFailure) -> String {
        let name = message.messageID.split(separator: "@").first.map(String.init) ?? message.messageID
        let path = "\(directory)/\(name).eml"
        let bytes = message.bytes
        do {
            // File system calls block: they run on NIO's thread pool, not on the cooperative pool.
            let written = try await NIOThreadPool.singleton.runIfActive { try MailDropFolder.write(bytes, to: path) }
            // A file found already there is flushed too: it may be one written just before a crash.
            try await folder.flush()
            return written ? "written to the mail drop: \(name).eml" : "already in the mail drop: \(name).eml"
        } catch {
            throw DeliveryFailure(
                permanent: false, reason: "cannot write to the mail drop \(directory): \(error)",
                summary: "mail drop write failed")
        }
    }
}

/// The mail drop's folder, open for `syncfs`, and the group flush that calls it.
final class MailDropFolder: Sendable {
    /// A failed system call: which, on what, and `errno`'s description.
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let path: String
        let code: Int32
        var description: String { "\(call) \(path): \(String(cString: strerror(code)))" }
    }

    private let descriptor: Int32
    private let path: String
    private let group: GroupCommit<Void, Failure?>

    init(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(call: "open", path: path, code: errno) }
        self.descriptor = descriptor
        self.path = path
        group = GroupCommit { _ in
            do {
                return try await NIOThreadPool.singleton.runIfActive {
                    npq_syncfs(descriptor) == 0 ? nil : Failure(call: "syncfs", path: path, code: errno)
                }
            } catch {
                return Failure(call: "syncfs", path: path, code: ECANCELED)
            }
        }
    }

    deinit { close(descriptor) }

    /// Returns once everything written to the folder before the call is on disk.
    func flush() async throws(Failure) {
        if let failure = await group.submit(()) { throw failure }
    }

    /// Writes `bytes` to `path` by way of a temporary file renamed into place, unless `path` exists; says whether it
    /// wrote. Blocking: call it off the cooperative pool.
    static func write(_ bytes: [UInt8], to path: String) throws(Failure) -> Bool {
        if access(path, F_OK) == 0 { return false }
        let temporary = "\(path).\(UUID().uuidString).tmp"
        let file = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard file >= 0 else { throw Failure(call: "open", path: temporary, code: errno) }
        var failure: Failure?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(file, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(call: "write", path: temporary, code: errno)
                    return
                }
                offset += count
            }
        }
        if close(file) != 0, failure == nil { failure = Failure(call: "close", path: temporary, code: errno) }
        if failure == nil, rename(temporary, path) != 0 { failure = Failure(call: "rename", path: path, code: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        return true
    }
}
