import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

extension ProbeSuites {
    /// The runtime probe as a real process: killed between commit and ack, and stopped with SIGTERM mid-stream.
    @Suite("Service processes (kill and stop the runtime probe)")
    struct ServiceProcessTests {
        static func dataDirectory(_ name: String) -> String {
            let path = NSTemporaryDirectory() + "npq-test-\(name)"
            try? FileManager.default.removeItem(atPath: path)
            return path
        }

        /// Waits until the probe consumes its queue.
        static func waitUntilConsuming(_ name: String, connection: AMQPConnection) async -> Bool {
            await eventually(timeout: .seconds(60)) {
                (try? await connection.inspectQueue("npq.\(name)").consumers) == 1
            }
        }

        static func deleteQueues(_ name: String, connection: AMQPConnection) async {
            for suffix in ["", ".parked", ".retry.1", ".retry.2", ".retry.3"] {
                _ = try? await connection.deleteQueue("npq.\(name)\(suffix)")
            }
        }

        @Test("killed with SIGKILL between commit and ack, the service re-processes nothing twice after restart")
        func killBetweenCommitAndAck() async throws {
            let name = "probe-kill-t\(UUID().uuidString.prefix(8).lowercased())"
            let probe = ProbeProcess(serviceName: name, dataDirectory: Self.dataDirectory(name))
            let connection = try await TestBroker.connect()
            let tap = try await EventTap(
                connection: connection, bindings: [(Topology.eventsExchange, ProbeRecorded.routingKey)])
            let messages = (0..<20).map { ProbeSuites.ConsumerLoopBrokerTests.command(ProbeRecord(key: "k-\($0)")) }
            let victim = try #require(messages[7].properties.messageID)

            try probe.start(environment: ["NPQ_PROBE_CRASH_AFTER_COMMIT": victim])
            #expect(await Self.waitUntilConsuming(name, connection: connection), "\(probe.log)")
            for message in messages { try await connection.publish(message) }
            let status = await probe.waitForExit()
            #expect(status == 128 + SIGKILL, "the probe should have killed itself after committing message 7")

            try probe.start()
            #expect(
                await eventually(timeout: .seconds(60)) {
                    await Set(tap.payloads(ProbeRecorded.self).map(\.key)).count == 20
                })
            probe.signal(SIGTERM)
            #expect(await probe.waitForExit() == 0)

            let effects = try await RuntimeProbe.effects(databasePath: probe.databasePath)
            #expect(effects.count == 20, "lost: \(20 - effects.count)")
            #expect(effects.values.allSatisfy { $0 == 1 }, "applied twice: \(effects.filter { $0.value > 1 })")
            let events = await tap.payloads(ProbeRecorded.self)
            #expect(events.allSatisfy { $0.applied == 1 })
            print(
                "SIGKILL between commit and ack: sent 20, effects \(effects.count), applied twice "
                    + "\(effects.values.filter { $0 > 1 }.count), events \(events.count) (re-sent copies of the outbox: "
                    + "\(events.count - Set(events.map(\.key)).count))")
            tap.stop()
            await Self.deleteQueues(name, connection: connection)
            await connection.close()
        }

        @Test("SIGTERM mid-stream stops the service within a few seconds with no lost or duplicated effect")
        func gracefulShutdown() async throws {
            let name = "probe-term-t\(UUID().uuidString.prefix(8).lowercased())"
            let probe = ProbeProcess(serviceName: name, dataDirectory: Self.dataDirectory(name))
            let connection = try await TestBroker.connect()
            let tap = try await EventTap(
                connection: connection, bindings: [(Topology.eventsExchange, ProbeRecorded.routingKey)])
            try probe.start()
            #expect(await Self.waitUntilConsuming(name, connection: connection), "\(probe.log)")
            let total = 300
            let results = await connection.publish(
                (0..<total).map {
                    ProbeSuites.ConsumerLoopBrokerTests.command(
                        ProbeRecord(key: "t-\($0)", mode: $0 % 10 == 0 ? .slow : .ok))
                })
            #expect(results.allSatisfy { if case .success = $0 { true } else { false } })

            #expect(await eventually { await tap.payloads(ProbeRecorded.self).count >= 20 })
            let signalled = ContinuousClock.now
            probe.signal(SIGTERM)
            let status = await probe.waitForExit(timeout: .seconds(20))
            let shutdown = ContinuousClock.now - signalled
            #expect(status == 0, "\(probe.log.suffix(2000))")
            #expect(shutdown < .seconds(5), "took \(shutdown)")
            let handledBeforeStop = try await RuntimeProbe.effects(databasePath: probe.databasePath).count

            try probe.start()
            #expect(
                await eventually(timeout: .seconds(60)) {
                    await Set(tap.payloads(ProbeRecorded.self).map(\.key)).count == total
                })
            probe.signal(SIGTERM)
            #expect(await probe.waitForExit() == 0)
            let effects = try await RuntimeProbe.effects(databasePath: probe.databasePath)
            #expect(effects.count == total)
            #expect(effects.values.allSatisfy { $0 == 1 })
            let events = await tap.payloads(ProbeRecorded.self)
            print(
                "SIGTERM mid-stream: sent \(total), handled before stop \(handledBeforeStop), shutdown took \(shutdown), "
                    + "effects \(effects.count), applied twice \(effects.values.filter { $0 > 1 }.count), "
                    + "events \(events.count) for \(Set(events.map(\.key)).count) keys")
            tap.stop()
            await Self.deleteQueues(name, connection: connection)
            await connection.close()
        }
    }
}
