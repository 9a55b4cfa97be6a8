import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers emails to one SMTP server, one connection per email; safe to share and to call concurrently.
///
/// The conversation (RFC 5321, RFC 3207, RFC 4954):
///
/// 1. Connect (``SMTPConfiguration/connectTimeout``); with `smtps://`, the TLS handshake first.
/// 2. The 220 greeting; EHLO, or HELO when the server answers EHLO with 500 or 502.
/// 3. STARTTLS when required (the default: fail with ``SMTPError/Code/startTLSUnavailable`` if the server does not
///    offer it, before anything else is sent) or opportunistic and offered. The server's certificate is verified:
///    chain to the system's roots or the configured CA file, and the host name (SNI is the host name; an IP address
///    is checked against the certificate's IP addresses). Then EHLO again.
/// 4. With credentials: AUTH PLAIN when offered, AUTH LOGIN otherwise. Credentials are only ever sent over TLS or to
///    a loopback address (a relay on this machine), as mature clients do; elsewhere the delivery fails with
///    ``SMTPError/Code/insecureAuthentication`` before they leave the process.
/// 5. MAIL FROM (with SIZE when the server supports it), RCPT TO per recipient, DATA, the message dot-stuffed and
///    ended by `.`, then QUIT.
///
/// Recipients are all or nothing: the first refused RCPT TO ends the conversation without sending the content, and
/// the error is that refusal's (permanent for 5xx, transient for 4xx). A message therefore reaches every recipient
/// or none, and a retry never duplicates it for the ones that had succeeded.
///
/// Failures are ``SMTPError``s classified as transient (try later) or permanent. Logs: nothing at info or above;
/// stages at debug, commands and reply codes at trace — never the credentials; addresses only at trace.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let tlsContext: NIOSSLContext?

    /// Checks the configuration and prepares TLS (reading the CA file); throws ``SMTPError`` at stage
    /// ``SMTPStage/configuration`` when either is wrong.
    public init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(SMTPError) {
        try configuration.validate()
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.tlsContext = configuration.security == .plaintext ? nil : try Self.makeTLSContext(configuration)
    }

    /// Renders and delivers `email` with a client for `configuration` on the shared event loop group.
    public static func send(
        _ email: SMTPEmail, configuration: SMTPConfiguration, logger: Logger
    ) async throws(SMTPError) -> SMTPDelivery {
        try await SMTPClient(configuration: configuration).send(email, logger: logger)
    }

    /// Renders and delivers `email`.
    public func send(_ email: SMTPEmail, logger: Logger) async throws(SMTPError) -> SMTPDelivery {
        try await send(email.render(), logger: logger)
    }

    /// Delivers a message rendered earlier (for instance to record its message id before sending).
    public func send(_ message: SMTPRenderedMessage, logger: Logger) async throws(SMTPError) -> SMTPDelivery {
        // The envelope goes into MAIL FROM and RCPT TO lines: check it again, whoever made the message.
        try SMTPEmail.checkAddress(message.sender, field: "sender")
        guard !message.recipients.isEmpty else { throw .invalidMessage("recipients: at least one is needed") }
        for (index, recipient) in message.recipients.enumerated() {
            try SMTPEmail.checkAddress(recipient, field: "recipients[\(index)]")
        }
        var logger = logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"
        logger.debug("smtp.connect")
        let connection = try await SMTPConnection.connect(
            host: configuration.host, port: configuration.port, timeout: configuration.connectTimeout,
            group: eventLoopGroup, logger: logger)
        do throws(SMTPError) {
            let delivery = try await converse(connection, message: message, logger: logger)
            await connection.quit(timeout: min(configuration.commandTimeout, .seconds(5)))
            logger.debug("smtp.delivered", metadata: ["smtp.reply.code": "\(delivery.reply.code)"])
            return delivery
        } catch {
            logger.debug(
                "smtp.failed",
                metadata: [
                    "smtp.stage": "\(error.stage)", "smtp.error": "\(error.code)",
                    "smtp.classification": "\(error.classification)",
                ])
            await connection.close()
            throw error
        }
    }

    private func converse(
        _ connection: SMTPConnection, message: SMTPRenderedMessage, logger: Logger
    ) async throws(SMTPError) -> SMTPDelivery {
        let timeout = configuration.commandTimeout
        var encrypted = false
        if configuration.security == .implicitTLS, let tlsContext {
            try await connection.startTLS(context: tlsContext, serverHostname: serverHostname, stage: .tls)
            encrypted = true
        }

        let greeting = try await connection.exchange(nil, stage: .greeting, timeout: timeout, tlsStage: .tls)
        try expect(greeting, 220, stage: .greeting, "the server refused the session")
        var capabilities = try await hello(connection, tlsStage: .tls)

        let wantsTLS =
            configuration.security == .requireSTARTTLS
            || (configuration.security == .opportunisticSTARTTLS && capabilities.startTLS)
        if wantsTLS, let tlsContext {
            guard capabilities.startTLS else {
                throw SMTPError(
                    .startTLSUnavailable, stage: .startTLS, classification: .permanent,
                    message: "STARTTLS is required but the server does not offer it; nothing was sent "
                        + "(set starttls=opportunistic or never in NPQ_SMTP_URL only for a trusted local server)")
            }
            logger.debug("smtp.starttls")
            let reply = try await connection.exchange("STARTTLS", stage: .startTLS, timeout: timeout)
            try expect(reply, 220, stage: .startTLS, "the server refused STARTTLS")
            try await connection.startTLS(context: tlsContext, serverHostname: serverHostname, stage: .startTLS)
            encrypted = true
            // RFC 3207 §4.2: forget what the server said before TLS and ask again.
            capabilities = try await hello(connection, tlsStage: .startTLS)
        }

        var authenticated = false
        if let credentials = configuration.credentials {
            guard encrypted || connection.remoteIsLoopback else {
                throw SMTPError(
                    .insecureAuthentication, stage: .auth, classification: .permanent,
                    message: "credentials are configured but the connection is not encrypted and the server is not "
                        + "on this machine; they were not sent")
            }
            try await authenticate(connection, credentials: credentials, capabilities: capabilities)
            authenticated = true
        }

        if let maximum = capabilities.maximumSize, message.bytes.count > maximum {
            throw SMTPError(
                .messageTooLarge, stage: .mail, classification: .permanent,
                message: "the message has \(message.bytes.count) octets; the server accepts at most \(maximum)")
        }
        logger.debug("smtp.envelope", metadata: ["smtp.recipients": "\(message.recipients.count)"])
        let size = capabilities.size ? " SIZE=\(message.bytes.count)" : ""
        let mail = try await connection.exchange("MAIL FROM:<\(message.sender)>\(size)", stage: .mail, timeout: timeout)
        try expect(mail, 250, stage: .mail, "the server refused the sender")
        for recipient in message.recipients {
            let reply = try await connection.exchange("RCPT TO:<\(recipient)>", stage: .rcpt, timeout: timeout)
            if reply.code != 251 { try expect(reply, 250, stage: .rcpt, "the server refused a recipient") }
        }
        let data = try await connection.exchange("DATA", stage: .data, timeout: timeout)
        try expect(data, 354, stage: .data, "the server refused DATA")

        let payload = Self.dotStuffed(message.bytes)
        let accepted = try await connection.send(
            connection.channel.allocator.buffer(bytes: payload), stage: .message,
            timeout: configuration.messageTimeout)
        try expect(accepted, 250, stage: .message, "the server refused the message")
        return SMTPDelivery(
            reply: accepted, messageID: message.messageID, messageSize: message.bytes.count,
            bytesSent: payload.count, encrypted: encrypted, authenticated: authenticated)
    }

    /// EHLO, falling back to HELO (and no extensions) when the server does not know EHLO.
    private func hello(_ connection: SMTPConnection, tlsStage: SMTPStage) async throws(SMTPError) -> SMTPCapabilities {
        let timeout = configuration.commandTimeout
        let reply = try await connection.exchange(
            "EHLO \(configuration.heloName)", stage: .ehlo, timeout: timeout, tlsStage: tlsStage)
        if reply.code == 250 { return SMTPCapabilities(ehloReply: reply) }
        guard reply.code == 500 || reply.code == 502 else {
            try expect(reply, 250, stage: .ehlo, "the server refused EHLO")
            return .none
        }
        let helo = try await connection.exchange("HELO \(configuration.heloName)", stage: .ehlo, timeout: timeout)
        try expect(helo, 250, stage: .ehlo, "the server refused HELO")
        return .none
    }

    /// AUTH PLAIN (RFC 4616, with the initial response) when offered, else AUTH LOGIN.
    private func authenticate(
        _ connection: SMTPConnection, credentials: SMTPConfiguration.Credentials, capabilities: SMTPCapabilities
    ) async throws(SMTPError) {
        let timeout = configuration.commandTimeout
        let mechanisms = capabilities.authenticationMechanisms
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            let response = base64("\u{0}\(credentials.username)\u{0}\(credentials.password)")
            var reply = try await connection.exchange(
                "AUTH PLAIN \(response)", stage: .auth, timeout: timeout, logAs: "AUTH PLAIN ***")
            if reply.code == 334 {
                reply = try await connection.exchange(response, stage: .auth, timeout: timeout, logAs: "***")
            }
            try expect(reply, 235, stage: .auth, "the server refused the credentials (AUTH PLAIN)")
        } else if mechanisms.contains("LOGIN") {
            let start = try await connection.exchange("AUTH LOGIN", stage: .auth, timeout: timeout)
            try expect(start, 334, stage: .auth, "the server refused AUTH LOGIN")
            let user = try await connection.exchange(
                base64(credentials.username), stage: .auth, timeout: timeout, logAs: "***")
            try expect(user, 334, stage: .auth, "the server refused the user name (AUTH LOGIN)")
            let password = try await connection.exchange(
                base64(credentials.password), stage: .auth, timeout: timeout, logAs: "***")
            try expect(password, 235, stage: .auth, "the server refused the credentials (AUTH LOGIN)")
        } else {
            throw SMTPError(
                .authenticationUnavailable, stage: .auth, classification: .permanent,
                message: "credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    /// Throws unless `reply` has the `expected` code: a 4xx/5xx as a refusal, anything else as a protocol error.
    private func expect(_ reply: SMTPReply, _ expected: Int, stage: SMTPStage, _ refusal: String) throws(SMTPError) {
        if reply.code == expected { return }
        if reply.isTransientNegative || reply.isPermanentNegative { throw .rejected(reply, stage: stage, refusal) }
        throw .unexpected(reply, stage: stage, expected: "\(expected)")
    }

    /// The name for SNI and certificate verification: the host, or `nil` for an IP address (checked against the
    /// certificate's IP addresses instead; SNI cannot carry one).
    private var serverHostname: String? {
        (try? SocketAddress(ipAddress: configuration.host, port: 0)) == nil ? configuration.host : nil
    }

    /// The message as it goes after DATA: a "." added before every line that starts with "." (RFC 5321 §4.5.2),
    /// then the terminating "." line. `bytes` ends with CRLF.
    static func dotStuffed(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 64 + 3)
        var atLineStart = true
        for byte in bytes {
            if atLineStart, byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = byte == 0x0A
        }
        if !atLineStart { output += [0x0D, 0x0A] }
        output += Array(".\r\n".utf8)
        return output
    }

    /// Client TLS: full verification (chain and host name) against the system's roots plus the configured CA file,
    /// TLS 1.2 or later.
    static func makeTLSContext(_ configuration: SMTPConfiguration) throws(SMTPError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let file = configuration.certificateAuthorityFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(file)
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw .configuration("cacertfile: cannot read PEM certificates from \(file)", underlying: error)
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .configuration("cannot set up TLS", underlying: error)
        }
    }
}
