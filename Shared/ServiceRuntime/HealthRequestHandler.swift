import NIOCore
import NIOHTTP1

/// Answers one HTTP/1.1 request per connection for ``HTTPHealthServer``: live, ready, metrics, 404 or 405.
///
/// Every response carries `Connection: close` and the channel closes after it, so graceful shutdown never waits on
/// idle keep-alive connections; probes and scrapers open a fresh connection each time anyway.
final class HealthRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The paths this server knows; any other path is a 404.
    enum Route: String {
        case live = "/health/live"
        case ready = "/health/ready"
        case metrics = "/metrics"
    }

    private let readiness: ReadinessRegistry
    private let metrics: @Sendable () -> String
    /// The head of the request being read; its body, if any, is ignored.
    private var head: HTTPRequestHead?
    /// Set once a response has been started, so a pipelined second request on the closing connection is ignored.
    private var responding = false

    /// Creates a handler for one connection.
    init(readiness: ReadinessRegistry, metrics: @escaping @Sendable () -> String) {
        self.readiness = readiness
        self.metrics = metrics
    }

    /// Closes a connection that has been idle too long (see the `IdleStateHandler` in the pipeline).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head, !responding else { return }
            self.head = nil
            responding = true
            route(head, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Decides the response; readiness runs its async checks off the event loop and comes back to it to write.
    private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let route = Route(rawValue: String(path)) else {
            return respond(head, .notFound, json: "{\"status\":\"not_found\"}", context: context)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return respond(
                head, .methodNotAllowed, json: "{\"status\":\"method_not_allowed\"}",
                extraHeaders: [("Allow", "GET, HEAD")],
                context: context)
        }
        switch route {
        case .live:
            respond(head, .ok, json: "{\"status\":\"live\"}", context: context)
        case .metrics:
            respond(
                head, .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics(), context: context)
        case .ready:
            let readiness = self.readiness
            context.eventLoop.makeFutureWithTask { await readiness.evaluate() }
                .assumeIsolated()
                .whenSuccess { report in
                    self.respond(
                        head, report.isReady ? .ok : .serviceUnavailable, json: report.json, context: context)
                }
        }
    }

    /// Writes a JSON response.
    private func respond(
        _ head: HTTPRequestHead, _ status: HTTPResponseStatus, json: String, extraHeaders: [(String, String)] = [],
        context: ChannelHandlerContext
    ) {
        respond(
            head, status, contentType: "application/json", body: json, extraHeaders: extraHeaders, context: context)
    }

    /// Writes head, body and end, then closes the connection once they are flushed.
    private func respond(
        _ head: HTTPRequestHead, _ status: HTTPResponseStatus, contentType: String, body: String,
        extraHeaders: [(String, String)] = [], context: ChannelHandlerContext
    ) {
        let buffer = context.channel.allocator.buffer(string: body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Connection", value: "close")
        headers.add(contentsOf: extraHeaders)
        let version = head.version.major == 1 ? head.version : .http1_1
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)))
            .assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }
}
