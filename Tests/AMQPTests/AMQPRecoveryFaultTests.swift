import AMQP
import Foundation
import NPQTestSupport
import Testing

/// Tests that stop and start the shared test broker. `make test` runs them on their own after the other tests,
/// one at a time, because every connection in the process drops with the broker.
@Suite("AMQP recovery (restarts the broker)", .serialized, .timeLimit(.minutes(3)))
struct AMQPRecoveryFaultTests {
    @Test("broker restart mid-stream: publisher and consumer recover alone and no confirmed message is lost")
    func brokerRestartMidStream() async throws {
        let publisher = try await TestBroker.connect(name: "restart publisher")
        let subscriber = try await TestBroker.connect(name: "restart consumer")
        let queue = TestBroker.uniqueName("restart")
        try await publisher.declare(AMQPTopology(queues: [.quorum(queue)]))
        try await subscriber.declare(AMQPTopology(queues: [.quorum(queue)]))

        let total = 6000
        let tally = Tally()
        let consumer = try await subscriber.consume(queue: queue, prefetch: 128)
        let consuming = Task {
            for try await delivery in consumer {
                await tally.record(delivery.properties.messageID ?? "?")
                // A delivery from before the restart cannot be acked any more; the broker redelivers it.
                try? await delivery.ack()
            }
        }

        // Publish in batches; a failed publish (connection lost: outcome unknown) is sent again with the same id.
        let confirmed = ConfirmedSet()
        let publishing = Task {
            var retries = 0
            for start in stride(from: 0, to: total, by: 50) {
                var pending = Array(start..<min(start + 50, total))
                while !pending.isEmpty {
                    let results = await publisher.publish(
                        pending.map {
                            AMQPMessage(
                                exchange: "", routingKey: queue, body: Data("\($0)".utf8),
                                properties: AMQPProperties(deliveryMode: .persistent, messageID: "r-\($0)"))
                        })
                    var failed: [Int] = []
                    for (index, result) in zip(pending, results) {
                        switch result {
                        case .success: await confirmed.insert(index)
                        case .failure(let error):
                            #expect(error.isTransient, "unexpected publish failure: \(error)")
                            failed.append(index)
                        }
                    }
                    if !failed.isEmpty {
                        retries += failed.count
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    pending = failed
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            return retries
        }

        #expect(await eventually { await confirmed.count >= total / 6 })
        let stoppedAt = ContinuousClock.now
        try await TestBroker.control("restart")
        let retries = try await publishing.value
        #expect(await confirmed.count == total)
        #expect(await eventually(timeout: .seconds(60)) { await tally.distinct == total }, "lost messages")
        let recovery = ContinuousClock.now - stoppedAt
        let lost = total - (await tally.distinct)
        print(
            "broker restart: sent \(total), confirmed \(await confirmed.count), received \(await tally.distinct) distinct, "
                + "lost \(lost), duplicates \(await tally.duplicates), publishes retried \(retries), "
                + "publisher reconnects \(publisher.reconnectCount), consumer reconnects \(subscriber.reconnectCount), "
                + "until all received \(recovery)")
        #expect(lost == 0)
        #expect(publisher.reconnectCount >= 1)
        #expect(subscriber.reconnectCount >= 1)
        consuming.cancel()
        try await publisher.deleteQueue(queue)
        await publisher.close()
        await subscriber.close()
    }

    @Test("a delivery received before a reconnect is never settled on the new connection")
    func staleDeliveryNotAcked() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("stale")
        try await connection.declare(AMQPTopology(queues: [.quorum(queue)]))
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Data("once".utf8)))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        var iterator = consumer.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first.redelivered == false)

        try await TestBroker.control("stop-app")
        try await TestBroker.control("start-app")
        try await connection.waitUntilConnected()
        #expect(await eventually { connection.state == .connected && connection.reconnectCount >= 1 })

        let error = await #expect(throws: AMQPError.self) { try await first.ack() }
        #expect(error?.code == .staleDelivery)
        let again = try #require(try await iterator.next())
        #expect(again.redelivered == true)
        #expect(again.body == first.body)
        try await again.ack()
        #expect(await eventually { (try? await connection.inspectQueue(queue).messages) == 0 })
        #expect(connection.state == .connected, "the stale ack must not have closed the new channel")
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("a publish waiting for a broker that is down ends with cancelled when its task is cancelled")
    func cancelWhileBrokerDown() async throws {
        let connection = try await TestBroker.connect()
        try await TestBroker.control("stop-app")
        #expect(await eventually { !connection.state.isConnected })
        let publishing = Task {
            try await connection.publish(AMQPMessage(exchange: "", routingKey: "nowhere", body: Data()))
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        publishing.cancel()
        let result = await publishing.result
        let waited = ContinuousClock.now - cancelledAt
        try await TestBroker.control("start-app")
        guard case .failure(let error as AMQPError) = result else {
            Issue.record("expected a cancelled publish, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        #expect(waited < .seconds(1))
        #expect(await eventually { connection.state.isConnected })
        await connection.close()
    }

    @Test(
        "a resource alarm blocks the connection: publishes and operations wait, nothing is dropped, all complete after")
    func blockedConnectionWaits() async throws {
        // Operations time out after 1 s, well inside the 3 s block: an operation sent to the blocked broker would
        // time out and cost the connection.
        var configuration = try TestBroker.configuration()
        configuration.operationTimeout = .seconds(1)
        let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        let observer = try await TestBroker.connect(name: "observer")
        let queue = TestBroker.uniqueName("blocked")
        try await connection.declare(AMQPTopology(queues: [.quorum(queue)]))
        // A memory high watermark of 0 raises the memory alarm at once; RabbitMQ then blocks connections that
        // publish, and stops reading from them.
        try await TestBroker.control("ctl", "set_vm_memory_high_watermark", "0")
        let publishing = Task {
            for index in 0..<20 {
                try await connection.publish(
                    AMQPMessage(
                        exchange: "", routingKey: queue, body: Data("\(index)".utf8),
                        properties: AMQPProperties(deliveryMode: .persistent, messageID: "b-\(index)")))
            }
        }
        try await Task.sleep(for: .seconds(2))
        // An operation on the blocked connection waits for the unblock instead of timing out the connection.
        let inspecting = Task { try await connection.inspectQueue(queue) }
        try await Task.sleep(for: .seconds(1))
        let messagesWhileBlocked = try await observer.inspectQueue(queue).messages
        try await TestBroker.control("ctl", "set_vm_memory_high_watermark", "0.8")
        try await publishing.value
        _ = try await inspecting.value
        #expect(messagesWhileBlocked < 20, "the alarm should have held publishing back")
        #expect(try await observer.inspectQueue(queue).messages == 20)
        #expect(connection.reconnectCount == 0)
        try await connection.deleteQueue(queue)
        await observer.close()
        await connection.close()
    }

    @Test("topology declared before a restart is declared again after it")
    func topologyRedeclared() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("transient")
        // Non-durable: it disappears with the broker, so only re-declaration brings it back.
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        try await TestBroker.control("stop-app")
        try await TestBroker.control("start-app")
        #expect(await eventually { connection.reconnectCount >= 1 && connection.state == .connected })
        #expect(try await connection.inspectQueue(queue).consumers == 0)
        try await connection.deleteQueue(queue)
        await connection.close()
    }
}

/// Indices of confirmed publishes.
actor ConfirmedSet {
    private var indices = Set<Int>()
    func insert(_ index: Int) { indices.insert(index) }
    var count: Int { indices.count }
}
