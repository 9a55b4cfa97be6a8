import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The small HTTP server every service runs for its operators: liveness, readiness and Prometheus metrics.
///
/// - `GET /health/live` → 200 `{"status":"live"}` for as long as the process serves requests;
/// - `GET /health/ready` → 200 when every check in the ``ReadinessRegistry`` passes, otherwise 503 with
///   `{"status":"not_ready","checks":{"broker":"disconnected","database":"ok"}}`;
/// - `GET /metrics` → the Prometheus text exposition;
/// - any other path → 404; another method on a known path → 405.
///
/// Built on SwiftNIO's HTTP/1 codec directly: three fixed routes do not justify a web framework. It is a
/// swift-service-lifecycle `Service`: `run()` serves until graceful shutdown or cancellation, then stops accepting.
public final class HTTPHealthServer: Service {
    private let host: String
    private let port: Int
    private let readiness: ReadinessRegistry
    private let metrics: @Sendable () -> String
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let idleTimeout: TimeAmount
    /// The listening port once bound, and whoever is waiting for it.
    private let binding = Mutex<Binding>(.pending([]))

    /// Where `run()` has got to in binding its socket.
    private enum Binding {
        case pending([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(any Error)
    }

    /// Creates a server; nothing listens until ``run()``.
    ///
    /// - Parameters:
    ///   - host: The address to listen on, e.g. `127.0.0.1` or `0.0.0.0` in a container.
    ///   - port: The port; 0 lets the system pick a free one, which ``boundPort()`` then reports.
    ///   - readiness: The checks behind `/health/ready`.
    ///   - metrics: Produces the `/metrics` body; usually ``MetricsBootstrap/exposition()``.
    ///   - logger: Receives the listening address and bind failures.
    ///   - eventLoopGroup: Where connections are served; NIO's shared group by default, since this traffic is tiny.
    ///   - idleTimeout: A connection that sends nothing for this long is closed.
    public init(
        host: String,
        port: Int,
        readiness: ReadinessRegistry,
        metrics: @escaping @Sendable () -> String,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        idleTimeout: Duration = .seconds(10)
    ) {
        self.idleTimeout = TimeAmount.nanoseconds(
            idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
        self.host = host
        self.port = port
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Creates a server on the configured `NPQ_HTTP_HOST`/`NPQ_HTTP_PORT`, serving the process-wide metrics.
    public convenience init(
        configuration: ServiceConfiguration, readiness: ReadinessRegistry, metrics: MetricsBootstrap, logger: Logger
    ) {
        self.init(
            host: configuration.httpHost, port: configuration.httpPort, readiness: readiness,
            metrics: { metrics.exposition() }, logger: logger)
    }

    /// Binds, serves until graceful shutdown or cancellation, then closes the listening socket.
    ///
    /// Requests already being answered finish on their own connections; each connection closes after one response.
    public func run() async throws {
        let readiness = self.readiness
        let metrics = self.metrics
        let idleTimeout = self.idleTimeout
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // A connection that sends nothing for a while is closed, so idle or half-sent requests cannot
                    // pile up and use the process's descriptors (which AMQP and SQLite need too).
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        HealthRequestHandler(readiness: readiness, metrics: metrics))
                }
            }

        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            logger.error(
                "health server cannot listen (NPQ_HTTP_HOST, NPQ_HTTP_PORT)",
                metadata: ["host": "\(host)", "port": "\(port)", "error": "\(error)"])
            settle(.failed(error))
            throw error
        }
        let boundPort = channel.localAddress?.port ?? port
        settle(.bound(boundPort))
        logger.info("health server listening", metadata: ["host": "\(host)", "port": "\(boundPort)"])

        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
        logger.info("health server stopped")
    }

    /// The port the server listens on, waiting until ``run()`` has bound it; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let resolved: Result<Int, any Error>? = binding.withLock { state in
                switch state {
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                case .bound(let port):
                    return .success(port)
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let resolved { continuation.resume(with: resolved) }
        }
    }

    /// Records the outcome of binding and wakes everyone waiting in ``boundPort()``.
    private func settle(_ outcome: Binding) {
        let waiters = binding.withLock { state in
            guard case .pending(let waiters) = state else { return [CheckedContinuation<Int, any Error>]() }
            state = outcome
            return waiters
        }
        for waiter in waiters {
            switch outcome {
            case .bound(let port): waiter.resume(returning: port)
            case .failed(let error): waiter.resume(throwing: error)
            case .pending: break
            }
        }
    }
}
