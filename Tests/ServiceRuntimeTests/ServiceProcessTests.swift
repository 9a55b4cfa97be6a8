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
            #expect(await TestBroker.waitUntilConsuming(name, connection: connection), "\(probe.log)")
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
            await TestBroker.deleteServiceQueues(name, connection: connection)
            await connection.close()
        }

        @Test("a message that kills the service every time is parked with delivery_limit, and the rest flow")
        func crashingPoisonMessage() async throws {
            let name = "probe-crash-t\(UUID().uuidString.prefix(8).lowercased())"
            let probe = ProbeProcess(
                serviceName: name, dataDirectory: Self.dataDirectory(name),
                environment: ["NPQ_PROBE_DELIVERY_LIMIT": "3"])
            let connection = try await TestBroker.connect()
            let tap = try await EventTap(
                connection: connection,
                bindings: [
                    (Topology.eventsExchange, ProbeRecorded.routingKey),
                    (Topology.eventsExchange, MessageRejected.routingKey),
                ])
            let poison = ProbeSuites.ConsumerLoopBrokerTests.command(ProbeRecord(key: "deadly", mode: .crash))
            try probe.start()
            #expect(await TestBroker.waitUntilConsuming(name, connection: connection), "\(probe.log)")
            try await connection.publish(poison)
            for index in 0..<10 {
                try await connection.publish(
                    ProbeSuites.ConsumerLoopBrokerTests.command(ProbeRecord(key: "fine-\(index)")))
            }
            // Each crash returns the message to the queue; start the service again until it stops crashing.
            var crashes = 0
            while crashes < 5, await probe.waitForExit(timeout: .seconds(10)) == 128 + SIGKILL {
                crashes += 1
                try probe.start()
            }
            // Delivery limit 3: handling started on the first delivery and on redeliveries 1, 2 and 3, crashing each
            // time; parked on redelivery 4. The messages prefetched behind it are not blamed.
            #expect(crashes == 3)
            #expect(await eventually { await tap.payloads(ProbeRecorded.self).count == 10 })
            #expect(
                await eventually {
                    await tap.payloads(MessageRejected.self).contains {
                        $0.originalMessageID == poison.properties.messageID && $0.reason == .deliveryLimit
                    }
                })
            let parked = try await ProbeSuites.ParkedMessagesTests.parked(
                try TestBroker.operatorClient(connection), ParkedList(service: name), count: 1)
            #expect(parked?.messages.first?.reason == .deliveryLimit)
            #expect(parked?.messages.first?.messageID == poison.properties.messageID)
            probe.signal(SIGTERM)
            #expect(await probe.waitForExit() == 0)
            tap.stop()
            await TestBroker.deleteServiceQueues(name, connection: connection)
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
            #expect(await TestBroker.waitUntilConsuming(name, connection: connection), "\(probe.log)")
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
            await TestBroker.deleteServiceQueues(name, connection: connection)
            await connection.close()
        }
    }
}
