import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One open connection to an SMTP server, driven from async code: each call writes a command through the
/// ``SMTPChannelHandler`` and awaits the reply, turning every failure into an ``SMTPError`` for the given stage.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let logger: Logger
    let remains: SMTPChannelHandler.Remains

    /// Opens the TCP connection within `timeout`.
    static func connect(
        host: String, port: Int, timeout: Duration, group: any EventLoopGroup, logger: Logger
    ) async throws(SMTPError) -> SMTPConnection {
        let remains = SMTPChannelHandler.Remains()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout.timeAmount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPChannelHandler(remains: remains))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return SMTPConnection(channel: channel, logger: logger, remains: remains)
        } catch ChannelError.connectTimeout {
            throw SMTPError(
                .timedOut, stage: .connect, classification: .transient,
                message: "no connection to \(host):\(port) within \(timeout)")
        } catch {
            throw SMTPError(
                .connectionFailed, stage: .connect, classification: .transient,
                message: "cannot connect to \(host):\(port)", underlying: error)
        }
    }

    /// Whether the server is this machine (127.0.0.0/8, ::1), where credentials may go without TLS.
    var remoteIsLoopback: Bool {
        guard let address = channel.remoteAddress?.ipAddress else { return false }
        return address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    /// Sends `command` (CRLF is added; `nil` sends nothing, for the greeting) and returns the next reply.
    ///
    /// `logAs` replaces the command in trace logs (AUTH lines carry credentials). A TLS failure is reported at
    /// `tlsStage`, the stage whose handshake it is, rather than `stage`.
    func exchange(
        _ command: String?, stage: SMTPStage, timeout: Duration, logAs: String? = nil, tlsStage: SMTPStage? = nil
    ) async throws(SMTPError) -> SMTPReply {
        var bytes: ByteBuffer?
        if let command {
            logger.trace("smtp.command", metadata: ["smtp.command": "\(logAs ?? command)"])
            bytes = channel.allocator.buffer(string: command + "\r\n")
        }
        return try await send(bytes, stage: stage, timeout: timeout, tlsStage: tlsStage)
    }

    /// Writes `bytes` as they are and returns the next reply.
    func send(
        _ bytes: ByteBuffer?, stage: SMTPStage, timeout: Duration, tlsStage: SMTPStage? = nil
    ) async throws(SMTPError) -> SMTPReply {
        let reply = channel.eventLoop.makePromise(of: SMTPReply.self)
        channel.writeAndFlush(SMTPChannelHandler.Request.exchange(bytes, timeout: timeout.timeAmount, reply: reply))
            .whenFailure { reply.fail($0) }
        do {
            // Cancelling the task (a shutdown) closes the connection, which fails the wait at once.
            let result = try await withTaskCancellationHandler {
                try await reply.futureResult.get()
            } onCancel: { [channel] in
                channel.close(promise: nil)
            }
            logger.trace("smtp.reply", metadata: ["smtp.reply.code": "\(result.code)", "smtp.stage": "\(stage)"])
            return result
        } catch {
            if Task.isCancelled {
                throw SMTPError(
                    .cancelled, stage: stage, classification: .transient,
                    message: stage == .message
                        ? "cancelled while the server was taking the message; it may have accepted it"
                        : "cancelled; the connection was closed")
            }
            // A reply that came before the close answers all the same (a 421 greeting, a 421 "shutting down").
            if let reply = remains.takeUnclaimed() { return reply }
            throw Self.error(remains.failure ?? error, stage: stage, tlsStage: tlsStage ?? stage, timeout: timeout)
        }
    }

    /// Puts TLS in front of the connection; the handshake runs with the next exchange.
    func startTLS(context: NIOSSLContext, serverHostname: String?, stage: SMTPStage) async throws(SMTPError) {
        do {
            try await channel.writeAndFlush(
                SMTPChannelHandler.Request.startTLS(context, serverHostname: serverHostname)
            ).get()
        } catch {
            throw Self.error(remains.failure ?? error, stage: stage, tlsStage: stage, timeout: .zero)
        }
    }

    /// Sends QUIT and waits briefly for its reply (errors do not matter any more), then closes.
    func quit(timeout: Duration) async {
        _ = try? await exchange("QUIT", stage: .message, timeout: timeout)
        await close()
    }

    func close() async {
        try? await channel.close()
    }

    /// The ``SMTPError`` for a failure of the channel handler or of NIO.
    static func error(_ error: any Error, stage: SMTPStage, tlsStage: SMTPStage, timeout: Duration) -> SMTPError {
        guard let failure = error as? SMTPChannelHandler.Failure else {
            return SMTPError(
                .connectionClosed, stage: stage, classification: .transient,
                message: "the connection failed", underlying: error)
        }
        switch failure {
        case .timedOut:
            return SMTPError(
                .timedOut, stage: stage, classification: .transient,
                message: "no reply within \(timeout)")
        case .closed:
            return SMTPError(
                .connectionClosed, stage: stage, classification: .transient,
                message: "the server closed the connection")
        case .io(let underlying):
            return SMTPError(
                .connectionClosed, stage: stage, classification: .transient,
                message: "the connection failed", underlying: underlying)
        case .malformed(let malformed):
            return SMTPError(
                .protocolViolation, stage: stage, classification: .permanent,
                message: "the server's reply is not SMTP (\(malformed.reason))")
        case .tlsHandshake(let underlying):
            let untrusted = isCertificateFailure(underlying)
            return SMTPError(
                .tlsFailed, stage: tlsStage, classification: untrusted ? .permanent : .transient,
                message: untrusted
                    ? "the TLS handshake failed: the server's certificate is not trusted or not for this host"
                    : "the connection closed during the TLS handshake",
                underlying: underlying)
        case .dataBeforeTLS:
            return SMTPError(
                .protocolViolation, stage: tlsStage, classification: .permanent,
                message: "the server sent data after its STARTTLS reply, before the handshake")
        case .busy:
            return SMTPError(
                .protocolViolation, stage: stage, classification: .permanent,
                message: "a command was sent while another awaited its reply")
        }
    }

    /// Whether a TLS failure will happen again: the handshake itself failed (an untrusted or expired certificate, a
    /// name mismatch, no common protocol), as opposed to the connection dropping.
    static func isCertificateFailure(_ error: any Error) -> Bool {
        if error is NIOSSLExtraError { return true }
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed, .noCertificateToValidate, .unableToValidateCertificate, .cannotMatchULabel:
                return true
            default:
                return false
            }
        }
        if error is BoringSSLError { return true }
        return false
    }
}
