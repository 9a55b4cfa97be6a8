import Foundation
import Logging
import NPQTestSupport
import SQLKit
import Synchronization
import Testing

@testable import ServiceRuntime

/// Regressions found in review: each fails without its fix.
@Suite("Hostile input and misconfiguration regressions")
struct HostileInputRegressionTests {
    @Test("a password holding '#' (an unparsable URL) is still masked in the error")
    func passwordWithHash() {
        #expect {
            _ = try ConfigurationReader(environment: ["NPQ_AMQP_URL": "amqp://npq:s3cr#t@rabbit:5672/"])
                .url("NPQ_AMQP_URL", schemes: ["amqp", "amqps"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("NPQ_AMQP_URL") && !text.contains("s3cr")
        }
        #expect(ConfigurationReader.masked("anything", variable: "NPQ_SMTP_PASS") == "***")
        #expect(ConfigurationReader.masked("anything", variable: "NPQ_WEBHOOK_SIGNING_KEY") == "***")
    }

    @Test("a migration string with two statements is refused, not half-applied")
    func twoStatementsInOneString() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        await #expect(throws: SQLStoreError.self) {
            try await store.migrate([
                SQLMigration(
                    version: 100, name: "two", statements: ["CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER)"])
            ])
        }
        let tables = try await store.read { database in
            try await database.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')").all()
        }
        #expect(tables.isEmpty)
        try await store.close()
    }
}

extension HostileInputRegressionTests {
    @Test("a readiness check that never answers is reported as timed out instead of holding the probe")
    func stuckReadinessCheck() async {
        let readiness = ReadinessRegistry()
        readiness.register("stuck") {
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumed
            return .ready
        }
        readiness.register("fine") { .ready }
        let started = ContinuousClock.now
        let report = await readiness.evaluate(timeout: .milliseconds(200))
        // A hang detector, not a speed check: the evaluation must come back at all (it waited 2.01 s on a loaded CI
        // machine against a 2 s bound once), so the bound is far from the 200 ms timeout.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(report.results["stuck"] == .notReady("timed out"))
        #expect(report.results["fine"] == .ready)
        #expect(!report.isReady)
    }

    @Test("an idle connection to the health server is closed after the idle timeout")
    func idleConnectionClosed() async throws {
        let server = HTTPHealthServer(
            host: "127.0.0.1", port: 0, readiness: ReadinessRegistry(), metrics: { "" }, logger: Logger(label: "test"),
            idleTimeout: .milliseconds(300))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.boundPort()
            // Connect, send nothing, and wait for the server to close (recv returns 0) — off the cooperative pool.
            let closedAfter: Duration? = await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    guard let socket = LoopbackSocket.connect(port: port) else {
                        return continuation.resume(returning: nil)
                    }
                    defer { close(socket) }
                    // Far above the 300 ms idle timeout: the close took 11.9 s once under a full test run's load.
                    var timeout = timeval(tv_sec: 30, tv_usec: 0)
                    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    let start = ContinuousClock.now
                    var byte: UInt8 = 0
                    let received = recv(socket, &byte, 1, 0)
                    continuation.resume(returning: received == 0 ? ContinuousClock.now - start : nil)
                }
            }
            #expect(closedAfter != nil, "the server kept the idle connection open for 30 s")
            group.cancelAll()
        }
    }
}

extension HostileInputRegressionTests {
    @Test("a transaction cancelled while it waits for the connection does not run once its turn comes")
    func cancelledWaiterDoesNotRun() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        let ran = Mutex(false)
        let (holding, held) = AsyncStream<Void>.makeStream()
        let (releasing, release) = AsyncStream<Void>.makeStream()
        // The first holds the connection until the second has been cancelled, however slow the machine.
        let first = Task {
            try await store.transaction { _ in
                held.yield()
                var waiting = releasing.makeAsyncIterator()
                await waiting.next()
            }
        }
        var iterator = holding.makeAsyncIterator()
        await iterator.next()
        let second = Task {
            try await store.transaction { _ in ran.withLock { $0 = true } }
        }
        try await Task.sleep(for: .milliseconds(50))
        second.cancel()
        try await Task.sleep(for: .milliseconds(50))
        release.yield()
        try await first.value
        await #expect(throws: CancellationError.self) { try await second.value }
        #expect(ran.withLock { $0 } == false)
        // The gate was handed back: the store still works.
        try await store.transaction { database in try await database.raw("SELECT 1").run() }
        try await store.close()
    }
}
