import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Testing

@testable import ServiceRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The health server over real HTTP on a free port: live, ready with the failing check named, metrics, 404, 405.
@Suite("HTTP health server", .timeLimit(.minutes(1)))
struct HTTPHealthServerTests {
    /// A response reduced to what the tests look at.
    struct Response {
        var status: Int
        var contentType: String?
        var body: String
    }

    /// Sends one request to the server on `port` and returns the response.
    private func request(_ path: String, method: String = "GET", port: Int) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return Response(
            status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
            body: String(decoding: data, as: UTF8.self))
    }

    /// Runs a server on a free loopback port for the duration of `body`.
    private func withServer(
        readiness: ReadinessRegistry, metrics: @escaping @Sendable () -> String = { "" },
        _ body: (Int) async throws -> Void
    ) async throws {
        let server = HTTPHealthServer(
            host: "127.0.0.1", port: 0, readiness: readiness, metrics: metrics, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.boundPort()
            #expect(port > 0)
            do {
                try await body(port)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    @Test("GET /health/live answers 200 live")
    func live() async throws {
        try await withServer(readiness: ReadinessRegistry()) { port in
            let response = try await request("/health/live", port: port)
            #expect(response.status == 200)
            #expect(response.contentType == "application/json")
            #expect(response.body == #"{"status":"live"}"#)
        }
    }

    @Test("GET /health/ready is 503 naming the failing check, then 200 once every check passes")
    func ready() async throws {
        let brokerConnected = Mutex(false)
        let readiness = ReadinessRegistry()
        readiness.register("broker") { brokerConnected.withLock { $0 } ? .ready : .notReady("disconnected") }
        readiness.register("database") { .ready }
        try await withServer(readiness: readiness) { port in
            let before = try await request("/health/ready", port: port)
            #expect(before.status == 503)
            #expect(before.body == #"{"status":"not_ready","checks":{"broker":"disconnected","database":"ok"}}"#)

            brokerConnected.withLock { $0 = true }
            let after = try await request("/health/ready?verbose=1", port: port)
            #expect(after.status == 200)
            #expect(after.body == #"{"status":"ready","checks":{"broker":"ok","database":"ok"}}"#)
        }
    }

    @Test("GET /metrics serves the Prometheus text format with a counter we increment")
    func metrics() async throws {
        let bootstrap = MetricsBootstrap.bootstrap()
        Counter(label: "npq_health_test_requests_total").increment(by: 3)
        try await withServer(readiness: ReadinessRegistry(), metrics: { bootstrap.exposition() }) { port in
            let response = try await request("/metrics", port: port)
            #expect(response.status == 200)
            #expect(response.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.body.contains("npq_health_test_requests_total 3"))
        }
    }

    @Test("an unknown path is 404 and another method on a known path is 405")
    func notFoundAndMethod() async throws {
        try await withServer(readiness: ReadinessRegistry()) { port in
            let statuses = [
                try await request("/health", port: port).status,
                try await request("/", port: port).status,
                try await request("/health/live", method: "POST", port: port).status,
                try await request("/metrics", method: "DELETE", port: port).status,
            ]
            #expect(statuses == [404, 404, 405, 405])
        }
    }

    @Test("graceful shutdown of the service group stops the server and closes its port")
    func gracefulShutdown() async throws {
        let server = HTTPHealthServer(
            host: "127.0.0.1", port: 0, readiness: ReadinessRegistry(), metrics: { "" },
            logger: Logger(label: "test"))
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            #expect(try await request("/health/live", port: port).status == 200)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            await #expect(throws: (any Error).self) {
                _ = try await request("/health/live", port: port)
            }
        }
    }

    @Test("a port already in use makes run() and boundPort() fail")
    func bindFailure() async throws {
        let first = HTTPHealthServer(
            host: "127.0.0.1", port: 0, readiness: ReadinessRegistry(), metrics: { "" }, logger: Logger(label: "t"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.run() }
            let port = try await first.boundPort()
            let second = HTTPHealthServer(
                host: "127.0.0.1", port: port, readiness: ReadinessRegistry(), metrics: { "" },
                logger: Logger(label: "t"))
            await #expect(throws: (any Error).self) { try await second.run() }
            await #expect(throws: (any Error).self) { _ = try await second.boundPort() }
            group.cancelAll()
        }
    }
}

/// The process-wide metrics registry.
@Suite("Metrics bootstrap")
struct MetricsBootstrapTests {
    @Test("bootstrapping twice returns the same registry, fed by swift-metrics")
    func once() {
        let first = MetricsBootstrap.bootstrap()
        let second = MetricsBootstrap.bootstrap()
        #expect(first.registry === second.registry)
        Counter(label: "npq_bootstrap_test_total", dimensions: [("type", "a")]).increment()
        #expect(second.exposition().contains(#"npq_bootstrap_test_total{type="a"} 1"#))
    }
}
