import AMQP
import Foundation
import NPQTestSupport
import Testing

/// Request/reply through RabbitMQ's direct reply-to, against the test broker.
@Suite("AMQP request and reply", .timeLimit(.minutes(2)))
struct AMQPRequestReplyTests {
    @Test("100 concurrent requests each get their own reply")
    func concurrentRequests() async throws {
        let requester = try await TestBroker.connect(name: "requester")
        let responder = try await TestBroker.connect(name: "responder")
        let queue = TestBroker.uniqueName("questions")
        try await responder.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        let consumer = try await responder.consume(queue: queue, prefetch: 50)
        let answering = Task {
            for try await delivery in consumer {
                let question = String(decoding: delivery.body, as: UTF8.self)
                try await responder.publish(
                    AMQPMessage(
                        exchange: "", routingKey: delivery.properties.replyTo ?? "",
                        body: Data("answer to \(question)".utf8),
                        properties: AMQPProperties(correlationID: delivery.properties.correlationID), mandatory: false))
                try await delivery.ack()
            }
        }
        let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<100 {
                group.addTask {
                    let reply = try await requester.request(
                        AMQPMessage(exchange: "", routingKey: queue, body: Data("q\(index)".utf8)),
                        timeout: .seconds(20))
                    return (index, String(decoding: reply.body, as: UTF8.self))
                }
            }
            var replies: [Int: String] = [:]
            for try await (index, text) in group { replies[index] = text }
            return replies
        }
        #expect(replies.count == 100)
        #expect(replies.allSatisfy { $0.value == "answer to q\($0.key)" })
        answering.cancel()
        await consumer.cancel()
        try await responder.deleteQueue(queue)
        await requester.close()
        await responder.close()
    }

    @Test("a request nobody answers times out")
    func unanswered() async throws {
        let connection = try await TestBroker.connect()
        let queue = TestBroker.uniqueName("silent")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        let started = ContinuousClock.now
        let error = await #expect(throws: AMQPError.self) {
            _ = try await connection.request(
                AMQPMessage(exchange: "", routingKey: queue, body: Data()), timeout: .milliseconds(500))
        }
        #expect(error?.code == .timeout)
        // A hang detector, not a speed check: it took 1.4 to 2 s on this 2-core machine under a full test run.
        #expect(ContinuousClock.now - started < .seconds(10))
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("a mandatory request that reaches no queue fails with unroutable")
    func unroutableRequest() async throws {
        let connection = try await TestBroker.connect()
        let error = await #expect(throws: AMQPError.self) {
            _ = try await connection.request(
                AMQPMessage(exchange: "", routingKey: TestBroker.uniqueName("nobody"), body: Data()),
                timeout: .seconds(5))
        }
        #expect(error?.code == .unroutable)
        #expect(error?.replyCode == 312)
        await connection.close()
    }
}
