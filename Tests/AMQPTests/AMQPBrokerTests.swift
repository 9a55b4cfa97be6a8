import AMQP
import Foundation
import NPQTestSupport
import Testing

/// Publishing and consuming against the real broker `make test` starts.
@Suite("AMQP against the broker", .timeLimit(.minutes(2)))
struct AMQPBrokerTests {
    @Test("10,000 persistent messages with confirms arrive exactly once with manual acks")
    func tenThousandExactlyOnce() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("bulk")
        try await connection.declare(AMQPTopology(queues: [.quorum(queue)]))
        let total = 10_000
        let messages = (0..<total).map { index in
            AMQPMessage(
                exchange: "", routingKey: queue, body: Data("{\"n\":\(index)}".utf8),
                properties: AMQPProperties(deliveryMode: .persistent, messageID: "m-\(index)"))
        }
        var failures = 0
        for start in stride(from: 0, to: total, by: 1000) {
            let results = await connection.publish(Array(messages[start..<min(start + 1000, total)]))
            failures += results.filter { if case .failure = $0 { true } else { false } }.count
        }
        #expect(failures == 0)

        let tally = Tally()
        let consumer = try await connection.consume(queue: queue, prefetch: 256)
        for try await delivery in consumer {
            await tally.record(delivery.properties.messageID ?? "?")
            try await delivery.ack()
            if await tally.seen.values.reduce(0, +) == total { break }
        }
        await consumer.cancel()
        #expect(await tally.distinct == total)
        #expect(await tally.duplicates == 0)
        #expect(try await connection.inspectQueue(queue).messages == 0)
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("a mandatory publish that reaches no queue fails for its caller with 312 NO_ROUTE")
    func unroutable() async throws {
        let connection = try await TestBroker.connect()
        let exchange = TestBroker.uniqueName("unroutable")
        try await connection.declare(AMQPTopology(exchanges: [.init(exchange, kind: .topic, durable: false)]))
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(
                AMQPMessage(exchange: exchange, routingKey: "nobody.listens", body: Data("{}".utf8)))
        }
        #expect(error?.code == .unroutable)
        #expect(error?.replyCode == 312)
        // A non-mandatory message to the same place is simply dropped by the broker, and confirmed.
        try await connection.publish(
            AMQPMessage(exchange: exchange, routingKey: "nobody.listens", body: Data(), mandatory: false))
        try await connection.deleteExchange(exchange)
        await connection.close()
    }

    @Test("only the unroutable message of a concurrent batch fails")
    func unroutableInBatch() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("routable")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false, autoDelete: false)]))
        var batch = (0..<50).map { AMQPMessage(exchange: "", routingKey: queue, body: Data("\($0)".utf8)) }
        batch.insert(AMQPMessage(exchange: "", routingKey: TestBroker.uniqueName("nowhere"), body: Data()), at: 25)
        let results = await connection.publish(batch)
        let failed = results.enumerated().filter { if case .failure = $0.element { true } else { false } }.map(\.offset)
        #expect(failed == [25])
        #expect(try await connection.inspectQueue(queue).messages == 50)
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("a publish to a missing exchange fails with 404 and the connection keeps working")
    func missingExchange() async throws {
        let connection = try await TestBroker.connect()
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(
                AMQPMessage(exchange: TestBroker.uniqueName("missing"), routingKey: "x", body: Data()))
        }
        #expect(error?.code == .channelClosed)
        #expect(error?.replyCode == 404)
        #expect(error?.isTransient == false)
        let queue = TestBroker.uniqueName("after-404")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Data("ok".utf8)))
        #expect(try await connection.inspectQueue(queue).messages == 1)
        #expect(connection.reconnectCount == 0)
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("declarations are idempotent; a conflicting one fails with 406 and the next succeeds")
    func idempotentDeclarations() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("declare")
        let exchange = TestBroker.uniqueName("declare-x")
        let topology = AMQPTopology(
            exchanges: [.init(exchange)], queues: [.quorum(queue, deliveryLimit: 3)],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: "a.*")])
        try await connection.declare(topology)
        try await connection.declare(topology)
        let error = await #expect(throws: AMQPError.self) {
            try await connection.declare(AMQPTopology(queues: [.quorum(queue, deliveryLimit: 9)]))
        }
        #expect(error?.replyCode == 406)
        #expect(error?.context.contains(queue) == true)
        try await connection.publish(AMQPMessage(exchange: exchange, routingKey: "a.b", body: Data()))
        #expect(try await connection.inspectQueue(queue).messages == 1)
        try await connection.deleteQueue(queue)
        try await connection.deleteExchange(exchange)
        await connection.close()
    }

    @Test("properties and headers of every kind survive the round trip")
    func propertiesRoundTrip() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("props")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        let timestamp = Date(timeIntervalSince1970: 1_790_000_000)
        let properties = AMQPProperties(
            contentType: "application/json", contentEncoding: "identity",
            headers: [
                "cloudEvents_specversion": "1.0", "count": 42, "flag": true, "ratio": .double(0.5),
                "nested": .table(["a": "b"]), "list": .array(["x", 1]), "when": .timestamp(timestamp),
            ],
            deliveryMode: .persistent, priority: 3, correlationID: "corr", replyTo: "reply", expiration: "60000",
            messageID: "id-1", timestamp: timestamp, type: "npq.test.v1", userID: "guest", appID: "tests")
        try await connection.publish(
            AMQPMessage(exchange: "", routingKey: queue, body: Data("body".utf8), properties: properties))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        var iterator = consumer.makeAsyncIterator()
        let delivery = try #require(try await iterator.next())
        #expect(delivery.properties == properties)
        #expect(String(decoding: delivery.body, as: UTF8.self) == "body")
        #expect(delivery.routingKey == queue)
        #expect(delivery.redelivered == false)
        try await delivery.ack()
        await consumer.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("the broker refuses a forged user_id, so consumers can trust it")
    func forgedUserID() async throws {
        let connection = try await TestBroker.connect()
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(
                AMQPMessage(
                    exchange: "", routingKey: "amq.nothing", body: Data(),
                    properties: AMQPProperties(userID: "someone-else"), mandatory: false))
        }
        #expect(error?.replyCode == 406)
        await connection.close()
    }

    @Test("a nacked delivery is dead-lettered; a quorum queue's delivery limit bounds redelivery")
    func deliveryLimit() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("poison")
        let parked = TestBroker.uniqueName("parked")
        let deadLetter = TestBroker.uniqueName("dlx")
        try await connection.declare(
            AMQPTopology(
                exchanges: [.init(deadLetter, kind: .topic)],
                queues: [
                    .quorum(queue, deliveryLimit: 2, deadLetterExchange: deadLetter, deadLetterRoutingKey: parked),
                    .quorum(parked),
                ],
                bindings: [.init(queue: parked, exchange: deadLetter, routingKey: parked)]))
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Data("poison".utf8)))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        var attempts = 0
        let watcher = Task {
            for try await delivery in consumer {
                attempts += 1
                try await delivery.nack(requeue: true)
            }
            return attempts
        }
        #expect(await eventually { (try? await connection.inspectQueue(parked).messages) == 1 })
        await consumer.cancel()
        let seen = try await watcher.value
        #expect(seen == 3, "delivered once plus two redeliveries before the limit")
        try await connection.deleteQueue(queue)
        try await connection.deleteQueue(parked)
        try await connection.deleteExchange(deadLetter)
        await connection.close()
    }

    @Test("an idle connection with a 1 s heartbeat stays up for 4 s")
    func heartbeatsWhileIdle() async throws {
        let connection = try await AMQPConnection.connect(
            TestBroker.configuration(heartbeat: .seconds(1)), logger: TestBroker.logger)
        try await Task.sleep(for: .seconds(4))
        #expect(connection.state == .connected)
        #expect(connection.reconnectCount == 0)
        await connection.close()
        #expect(connection.state == .closed)
    }

    @Test("wrong credentials fail at connect with authenticationFailed")
    func wrongPassword() async throws {
        var configuration = try TestBroker.configuration()
        configuration.password = "not-the-password"
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test("nothing listening on the port fails at connect with connectionFailed")
    func refusedPort() async throws {
        var configuration = try TestBroker.configuration()
        configuration.port = 1
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .connectionFailed)
    }

    @Test("operations on a closed connection fail with closed")
    func closedConnection() async throws {
        let connection = try await TestBroker.connect()
        await connection.close()
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(AMQPMessage(exchange: "", routingKey: "x", body: Data()))
        }
        #expect(error?.code == .closed)
    }
}

extension AMQPBrokerTests {
    @Test("closing twice returns both times")
    func closeTwice() async throws {
        let connection = try await TestBroker.connect()
        await connection.close()
        await connection.close()
        #expect(connection.state == .closed)
    }

    @Test("a consumer whose queue is deleted ends with consumerCancelled (the broker notifies it)")
    func queueDeletedUnderConsumer() async throws {
        let connection = try await TestBroker.connect()
        let other = try await TestBroker.connect(name: "deleter")
        let queue = TestBroker.uniqueName("deleted")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        let ending = Task { () -> AMQPError? in
            do {
                for try await _ in consumer {}
                return nil
            } catch {
                return error as? AMQPError
            }
        }
        try await other.deleteQueue(queue)
        let error = await ending.value
        #expect(error?.code == .consumerCancelled)
        #expect(connection.state == .connected)
        await other.close()
        await connection.close()
    }
}
