import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import SQLKit
import ServiceRuntime
import Synchronization
import Testing

extension ProbeSuites {
    /// Background workers: woken by the service's commits, their own short transactions publishing through the
    /// outbox, restarted after an error, and idle (not spinning) when there is nothing to do.
    @Suite("Background workers")
    struct BackgroundWorkerTests {
        final class Observations: Sendable {
            let loops = Mutex(0)
            let seen = Mutex<Set<String>>([])
            let failedOnce = Mutex(false)
        }

        @Test(
            "A worker wakes on a handler's commit, publishes from its own transaction, restarts after an error, and idles"
        )
        func worker() async throws {
            let observations = Observations()
            let name = ConsumerLoopBrokerTests.uniqueService("worker")
            let service = try await InProcessService(name: name) { app in
                RuntimeProbe.configure(&app, environment: [:])
                app.worker("follower") { worker in
                    // The first run fails at once: the runtime starts the body again.
                    if !observations.failedOnce.withLock({ $0 }) {
                        observations.failedOnce.withLock { $0 = true }
                        throw WorkerFailure()
                    }
                    while !worker.isStopping {
                        observations.loops.withLock { $0 += 1 }
                        let keys = try await worker.transaction("read effects") { task in
                            try await task.database.select().column("key").from("probe_effects").all()
                                .map { try $0.decode(column: "key", as: String.self) }
                        }
                        for key in keys where observations.seen.withLock({ $0.insert(key).inserted }) {
                            try await worker.transaction("announce") { task in
                                task.publish(ProbeRecorded(key: "worker saw \(key)", applied: 1), key: "saw \(key)")
                            }
                        }
                        // A long wait: only a commit elsewhere wakes it sooner.
                        await worker.waitForWork(atMost: .seconds(60))
                    }
                }
            }
            let connection = try await TestBroker.connect(name: name)
            let tap = try await EventTap(
                connection: connection, bindings: [(Topology.eventsExchange, ProbeRecorded.routingKey)])
            do {
                try await Task.sleep(for: .milliseconds(300))
                let idle = observations.loops.withLock { $0 }
                let started = ContinuousClock.now
                try await connection.publish(ConsumerLoopBrokerTests.command(ProbeRecord(key: "first")))
                #expect(
                    await eventually(timeout: .seconds(10)) {
                        await tap.payloads(ProbeRecorded.self).contains { $0.key == "worker saw first" }
                    },
                    "loops \(observations.loops.withLock { $0 }), seen \(observations.seen.withLock { $0 })"
                )
                // Woken by the handler's commit, long before its 60 s wait ran out.
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(observations.failedOnce.withLock { $0 })
                // Its own commits do not wake it: a second of quiet is a handful of loops at most, not thousands. (Other
                // tests' operator queries, which every service's queue receives, may wake it a few times.)
                let before = observations.loops.withLock { $0 }
                try await Task.sleep(for: .seconds(1))
                let after = observations.loops.withLock { $0 }
                #expect(idle <= 10)
                #expect(after - before <= 10)
            } catch {
                tap.stop()
                await connection.close()
                try await service.stop()
                throw error
            }
            tap.stop()
            await connection.close()
            try await service.stop()
        }

        struct WorkerFailure: Error {}
    }
}
