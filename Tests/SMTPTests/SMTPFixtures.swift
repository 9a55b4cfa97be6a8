import Foundation
import Logging
import NPQTestSupport
import SMTP
import Synchronization

/// What the delivery tests share: one throwaway CA with a certificate for localhost/127.0.0.1 (made once per test
/// run), the email they send, and loggers.
enum SMTPFixtures {
    private static let certificates = Task {
        let authority = try await SMTPTestServer.CertificateAuthority.make()
        let localhost = try await authority.issue()
        let otherHost = try await authority.issue(dnsNames: ["mail.example.org"], ipAddresses: [])
        return (authority, localhost, otherHost)
    }

    /// The test CA (give its `certificateFile` to the client).
    static func authority() async throws -> SMTPTestServer.CertificateAuthority { try await certificates.value.0 }
    /// A certificate for localhost and 127.0.0.1 signed by the test CA.
    static func localhost() async throws -> SMTPTestServer.ServerCertificate { try await certificates.value.1 }
    /// A certificate for mail.example.org only, signed by the test CA.
    static func otherHost() async throws -> SMTPTestServer.ServerCertificate { try await certificates.value.2 }

    static let julyFirst = Date(timeIntervalSince1970: 1_751_362_200)

    static func email(
        to recipients: [String] = ["rhiannon@example.org"], subject: String = "Your NPQ application",
        text: String = "Hello Rhiannon,\n\nYour application has been received.\n", html: String? = nil,
        toName: String? = "Rhiannon Ní Bhriain", id: String = "notification-1"
    ) -> SMTPEmail {
        SMTPEmail(
            from: SMTPMailbox("noreply@npq.example", displayName: "NPQ Notifications"),
            to: recipients.map { SMTPMailbox($0, displayName: toName) }, subject: subject, textBody: text,
            htmlBody: html, messageID: "\(id)@npq.example", date: julyFirst,
            headers: [.init("X-NPQ-Notification-ID", id)])
    }

    static let logger: Logger = {
        var logger = Logger(label: "smtp-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["NPQ_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .error
        return logger
    }()

    /// The header of a received message, for reading fields.
    static func header(_ message: SMTPTestServer.Message) -> String {
        MIMEReading.split(message.text).header
    }
}

/// A log handler that keeps every record, to check what a delivery logs.
struct RecordingLogHandler: LogHandler {
    final class Records: Sendable {
        let entries = Mutex<[(level: Logger.Level, text: String)]>([])
        var all: [(level: Logger.Level, text: String)] { entries.withLock { $0 } }
    }

    let records: Records
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = "\(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
        records.entries.withLock { $0.append((event.level, text)) }
    }
}
