import NIOCore
import NIOSSL
import Synchronization

/// The NIO side of one SMTP connection: turns the server's bytes into ``SMTPReply`` values and hands each to the
/// request that waits for it, with a timeout; on request it puts TLS in front of the connection (STARTTLS or
/// implicit TLS).
///
/// SMTP without PIPELINING is lock-step, so at most one request waits at a time. A reply nobody waits for yet (the
/// greeting, which can arrive before the client asks for it) is kept for the next request. Once the connection
/// fails — closed, reset, a timeout, a malformed reply — every request fails with that ``Failure``.
final class SMTPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Request
    typealias OutboundOut = ByteBuffer

    /// What the async side asks of the handler, written into the pipeline.
    enum Request: Sendable {
        /// Write `bytes` (nothing, to wait for the greeting) and wait up to `timeout` for the next reply.
        case exchange(ByteBuffer?, timeout: TimeAmount, reply: EventLoopPromise<SMTPReply>)
        /// Put a TLS client handler in front and start the handshake; the write's promise succeeds once it is in
        /// place. Until decrypted bytes arrive, a failure is reported as ``Failure/tlsHandshake(_:)``.
        case startTLS(NIOSSLContext, serverHostname: String?)
    }

    /// Why a request failed.
    enum Failure: Error {
        case timedOut(TimeAmount)
        case closed
        case io(any Error)
        case malformed(SMTPReplyParser.MalformedReply)
        case tlsHandshake(any Error)
        /// Bytes arrived after the 220 to STARTTLS and before the handshake: a man in the middle could inject replies
        /// this way (CVE-2011-0411), so the connection is dropped.
        case dataBeforeTLS
        case busy
    }

    /// What the handler leaves to the async side, which outlives it: once the channel is closed its pipeline is
    /// gone, and a later write fails with a bare "closed channel" that says neither why nor what the server said
    /// last (a 421 greeting followed by a close).
    final class Remains: Sendable {
        private struct State {
            var failure: Failure?
            var unclaimed: [SMTPReply] = []
        }
        private let state = Mutex(State())

        /// The first failure of the connection.
        var failure: Failure? { state.withLock { $0.failure } }

        func record(_ failure: Failure) { state.withLock { if $0.failure == nil { $0.failure = failure } } }

        func keep(_ replies: [SMTPReply]) { state.withLock { $0.unclaimed += replies } }

        /// The oldest reply that arrived before the connection closed and that no request received.
        func takeUnclaimed() -> SMTPReply? {
            state.withLock { $0.unclaimed.isEmpty ? nil : $0.unclaimed.removeFirst() }
        }
    }

    private let remains: Remains
    private var parser = SMTPReplyParser()
    private var unclaimed: [SMTPReply] = []
    private var waiting: (reply: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    private var failure: Failure?
    private var handshakePending = false

    init(remains: Remains) {
        self.remains = remains
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        remains.keep(unclaimed)
        unclaimed = []
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        handshakePending = false
        guard failure == nil else { return }
        do {
            unclaimed += try parser.feed(buffer.readableBytesView)
            deliver()
        } catch {
            fail(.malformed(error), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(handshakePending ? .tlsHandshake(Failure.closed) : .closed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(handshakePending ? .tlsHandshake(error) : .io(error), context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .exchange(let bytes, let timeout, let reply):
            if let failure {
                // A reply that arrived before the connection closed still answers (a 421 greeting, then close).
                if unclaimed.isEmpty {
                    reply.fail(failure)
                } else {
                    reply.succeed(unclaimed.removeFirst())
                }
                promise?.fail(failure)
                return
            }
            guard waiting == nil else {
                reply.fail(Failure.busy)
                promise?.fail(Failure.busy)
                return
            }
            let scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                self.fail(.timedOut(timeout), context: context)
            }
            waiting = (reply, scheduled)
            if let bytes {
                context.write(wrapOutboundOut(bytes), promise: promise)
            } else {
                promise?.succeed(())
            }
            deliver()
        case .startTLS(let sslContext, let serverHostname):
            if let failure {
                promise?.fail(failure)
                return
            }
            guard !parser.hasBufferedData, unclaimed.isEmpty, waiting == nil else {
                fail(.dataBeforeTLS, context: context)
                promise?.fail(Failure.dataBeforeTLS)
                return
            }
            do {
                let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                handshakePending = true
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
                promise?.succeed(())
            } catch {
                handshakePending = false
                fail(.tlsHandshake(error), context: context)
                promise?.fail(error)
            }
        }
    }

    /// Hands the oldest unclaimed reply to the waiting request, if both exist.
    private func deliver() {
        guard let waiting, !unclaimed.isEmpty else { return }
        self.waiting = nil
        waiting.timeout.cancel()
        waiting.reply.succeed(unclaimed.removeFirst())
    }

    /// Records the first failure, fails the waiting request with it and closes the connection.
    private func fail(_ error: Failure, context: ChannelHandlerContext) {
        if failure == nil {
            failure = error
            remains.record(error)
        }
        if let waiting {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.reply.fail(failure ?? error)
        }
        if context.channel.isActive { context.close(promise: nil) }
    }
}
