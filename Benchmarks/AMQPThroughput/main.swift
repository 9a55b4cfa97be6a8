import AMQP
import Foundation
import Logging

// The broker's ceiling through the AMQP module, measured like shared/tools/rawbroker.c measures it with plain
// rabbitmq-c: N persistent messages with publisher confirms (window W) to a fresh durable queue, then consumed
// with manual acks (prefetch P). Prints the same two figures, so the two can be compared in one run.
// The queue is classic, as rawbroker.c's, unless QUEUE_TYPE says quorum: the services' queues are quorum queues,
// so `make bench` measures the ceiling on one.
//
// usage: amqp-throughput URL N BODY_BYTES WINDOW PREFETCH [QUEUE_TYPE]

let arguments = CommandLine.arguments
let url = arguments.count > 1 ? arguments[1] : "amqp://guest:guest@127.0.0.1:5672/"
let total = arguments.count > 2 ? Int(arguments[2]) ?? 50_000 : 50_000
let bodyBytes = arguments.count > 3 ? Int(arguments[3]) ?? 400 : 400
let window = arguments.count > 4 ? Int(arguments[4]) ?? 512 : 512
let prefetch = arguments.count > 5 ? UInt16(arguments[5]) ?? 512 : 512
let queueType = arguments.count > 6 ? arguments[6] : "classic"
precondition(["classic", "quorum"].contains(queueType), "QUEUE_TYPE must be classic or quorum, not \(queueType)")

var configuration = try AMQPConfiguration(url: url)
configuration.publisherConfirmWindow = window
configuration.connectionName = "amqp-throughput"
let connection = try await AMQPConnection.connect(configuration, logger: Logger(label: "bench"))
let queue = "amqpbench.\(getpid())"
try await connection.declare(
    AMQPTopology(queues: [.init(queue, durable: true, arguments: ["x-queue-type": .string(queueType)])]))
let body = Data(repeating: UInt8(ascii: "x"), count: bodyBytes)
let message = AMQPMessage(
    exchange: "", routingKey: queue, body: body,
    properties: AMQPProperties(contentType: "application/json", deliveryMode: .persistent), mandatory: false)

// Publish: several callers each keep a batch in flight, so the confirm window stays full as acks arrive.
let callers = 4
let batch = max(1, window / callers)
let publishStart = ContinuousClock.now
let failures = await withTaskGroup(of: Int.self) { group in
    for caller in 0..<callers {
        group.addTask {
            var failed = 0
            var sent = caller * batch
            while sent < total {
                let count = min(batch, total - sent)
                let results = await connection.publish(Array(repeating: message, count: count))
                failed += results.filter { if case .failure = $0 { true } else { false } }.count
                sent += callers * batch
            }
            return failed
        }
    }
    var failed = 0
    for await count in group { failed += count }
    return failed
}
let publishSeconds = (ContinuousClock.now - publishStart).seconds
precondition(failures == 0, "\(failures) publishes failed")

/// Consumes `count` messages, acking each, off the main actor as a service's consumer loop runs.
@concurrent func consumeAll(_ connection: AMQPConnection, queue: String, prefetch: UInt16, count: Int) async throws {
    let consumer = try await connection.consume(queue: queue, prefetch: prefetch)
    var received = 0
    for try await delivery in consumer {
        try await delivery.ack()
        received += 1
        if received == count { break }
    }
}

let consumeStart = ContinuousClock.now
try await consumeAll(connection, queue: queue, prefetch: prefetch, count: total)
let consumeSeconds = (ContinuousClock.now - consumeStart).seconds
_ = try await connection.deleteQueue(queue)
await connection.close()
print(String(format: "publish_confirmed_per_s %.0f", Double(total) / publishSeconds))
print(String(format: "consume_acked_per_s %.0f", Double(total) / consumeSeconds))

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
