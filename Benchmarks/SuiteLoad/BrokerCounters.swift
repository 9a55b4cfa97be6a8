import Foundation

/// RabbitMQ's own message counters (`rabbit_global_counters`, node-wide, exact, since the node started), read through
/// a command that prints one `name,label=value,... count` line per counter, as scripts/bench.sh's
/// `broker-counters` does with `rabbitmqctl eval`.
struct BrokerCounters: Sendable {
    /// Every counter, keyed `name,label=value,...`.
    var values: [String: Double]

    /// Messages published to the broker by every client (`messages_received_total`, AMQP 0-9-1).
    var published: Double { values["messages_received_total,protocol=amqp091"] ?? 0 }

    /// Publishes the broker confirmed.
    var confirmed: Double { values["messages_confirmed_total,protocol=amqp091"] ?? 0 }

    /// Messages delivered to consumers from queues of every type: a message routed to three queues counts three.
    var delivered: Double { sum("messages_delivered_total,protocol=amqp091,") }

    /// Deliveries the consumers acknowledged.
    var acknowledged: Double { sum("messages_acknowledged_total,protocol=amqp091,") }

    /// Deliveries that were redelivered (a consumer rejected or lost them).
    var redelivered: Double { sum("messages_redelivered_total,protocol=amqp091,") }

    /// Messages dead-lettered, for any reason (a refused or over-delivered message ends up parked this way).
    var deadLettered: Double { sum("messages_dead_lettered_") }

    private func sum(_ prefix: String) -> Double {
        values.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
    }

    /// Runs `command` (on a thread of its own: the process is waited for) and parses what it prints.
    static func read(command: String) async throws -> BrokerCounters {
        let output = try await BlockingWork.run { try Self.run(command) }
        var values: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            values[String(parts[0])] = value
        }
        guard !values.isEmpty else { throw CommandError(command: command, status: 0, output: output) }
        return BrokerCounters(values: values)
    }

    private static func run(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CommandError(command: command, status: process.terminationStatus, output: text)
        }
        return text
    }

    /// The counters command failed or printed no counters.
    struct CommandError: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "\(command) exited with status \(status): \(output.prefix(500))" }
    }
}
