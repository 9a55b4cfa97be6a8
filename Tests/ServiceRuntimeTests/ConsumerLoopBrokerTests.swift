import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

extension ProbeSuites {
    /// The consumer loop with inbox and outbox, against the real broker, with the runtime probe running in-process.
    @Suite("Consumer loop against the broker")
    struct ConsumerLoopBrokerTests {
        /// Publishes a probe command the way an integrator would.
        static func command(
            _ payload: ProbeRecord, id: String = UUID().uuidString.lowercased(), replyTo: String? = nil
        ) -> AMQPMessage {
            let envelope = Envelope.new(for: ProbeRecord.self, source: "urn:npq:test", appID: "tests", replyTo: replyTo)
            var properties = AMQPProperties(
                contentType: "application/json", headers: envelope.cloudEventsHeaders.mapValues { .string($0) },
                deliveryMode: .persistent, correlationID: envelope.correlationID, replyTo: replyTo, messageID: id,
                timestamp: envelope.time, type: ProbeRecord.typeName, appID: "tests")
            properties.headers[EnvelopeHeader.id] = .string(id)
            return AMQPMessage(
                exchange: Topology.commandsExchange, routingKey: ProbeRecord.routingKey,
                body: ContractEncoder.encode(payload), properties: properties)
        }

        static func probe(_ name: String, environment: [String: String] = [:]) async throws -> InProcessService {
            try await InProcessService(name: name, environment: environment) { app in
                RuntimeProbe.configure(&app, environment: environment)
            }
        }

        static func uniqueService(_ prefix: String) -> String {
            "\(prefix)-t\(UUID().uuidString.prefix(8).lowercased())"
        }

        /// A running probe, a connection of the test's own, and a tap on the events the test listens for.
        struct ProbeRun {
            let name: String
            let service: InProcessService
            let connection: AMQPConnection
            let tap: EventTap

            /// The probe's database file.
            var databasePath: String { "\(service.dataDirectory)/\(name).sqlite" }
        }

        /// Starts a probe named after `prefix`, runs `body`, and stops everything afterwards, also when `body` fails.
        static func withProbe(
            _ prefix: String, environment: [String: String] = [:], events: [String] = [],
            _ body: (ProbeRun) async throws -> Void
        ) async throws {
            let name = uniqueService(prefix)
            let service = try await probe(name, environment: environment)
            let connection = try await TestBroker.connect(name: name)
            let tap = try await EventTap(
                connection: connection, bindings: events.map { (Topology.eventsExchange, $0) })
            let run = ProbeRun(name: name, service: service, connection: connection, tap: tap)
            do {
                try await body(run)
            } catch {
                try? await service.stop()
                tap.stop()
                await connection.close()
                throw error
            }
            try await service.stop()
            tap.stop()
            await connection.close()
        }

        @Test("the same message id delivered twice has one effect")
        func inboxDedupes() async throws {
            try await Self.withProbe("probe-dedupe", events: [ProbeRecorded.routingKey]) { run in
                let (service, connection, tap) = (run.service, run.connection, run.tap)
                let message = Self.command(ProbeRecord(key: "twice"), id: UUID().uuidString.lowercased())
                try await connection.publish(message)
                try await connection.publish(message)
                try await connection.publish(Self.command(ProbeRecord(key: "after")))
                #expect(await eventually { await tap.payloads(ProbeRecorded.self).contains { $0.key == "after" } })
                try await service.stop()
                let effects = try await RuntimeProbe.effects(databasePath: run.databasePath)
                #expect(effects == ["twice": 1, "after": 1])
                #expect(await tap.payloads(ProbeRecorded.self).filter { $0.key == "twice" }.count == 1)
            }
        }

        @Test(
            "bad input is parked and explained in message.rejected",
            arguments: [
                (
                    "undecodable body", "npq.probe.record.v1", Data("this is not json".utf8),
                    RejectionReason.undecodable, ""
                ),
                ("unknown type", "npq.nothing.here.v1", Data("{}".utf8), .unknownType, ""),
                (
                    "field breaks its rule", "npq.probe.record.v1", Data(#"{"key":"UPPER CASE","mode":"ok"}"#.utf8),
                    .invalidFields, "key"
                ),
                ("missing field", "npq.probe.record.v1", Data(#"{"mode":"ok"}"#.utf8), .invalidFields, "key"),
                (
                    "rule violation in the handler", "npq.probe.record.v1", Data(#"{"key":"no","mode":"reject"}"#.utf8),
                    .ruleViolation, ""
                ),
            ])
        func rejected(_ label: String, type: String, body: Data, reason: RejectionReason, field: String) async throws {
            try await Self.withProbe("probe-reject", events: [MessageRejected.routingKey]) { run in
                let (name, connection, tap) = (run.name, run.connection, run.tap)
                var message = Self.command(ProbeRecord(key: "x"))
                message.body = body
                message.properties.type = type
                message.properties.headers[EnvelopeHeader.type] = .string(type)
                let id = try #require(message.properties.messageID)
                try await connection.publish(message)

                #expect(
                    await eventually {
                        await tap.payloads(MessageRejected.self).contains { $0.originalMessageID == id }
                    })
                let event = try #require(await tap.payloads(MessageRejected.self).first { $0.originalMessageID == id })
                #expect(event.reason == reason, "\(label)")
                #expect(event.service == name)
                #expect(!event.detail.isEmpty)
                if !field.isEmpty { #expect(event.fieldErrors.contains { $0.field == field }, "\(event.fieldErrors)") }

                // The original is parked, body and all, with the reason in its headers.
                let client = try TestBroker.operatorClient(connection)
                var shown: ParkedMessage?
                #expect(
                    await eventually {
                        shown =
                            try? await client.ask(
                                ParkedShow(service: name, messageID: id), expecting: ParkedShowResult.self
                            ).message
                        return shown != nil
                    })
                let copy = try #require(shown)
                #expect(
                    copy.body.map { Data($0.utf8) } == body || copy.body.flatMap { Data(base64Encoded: $0) } == body)
                #expect(copy.reason == reason)
                #expect(copy.headers?.contains { $0.name == EnvelopeHeader.rejectedBy && $0.value == name } == true)
            }
        }

        @Test("a timestamp no calendar can print neither crashes the service nor stops a valid message")
        func absurdTimestamp() async throws {
            // Regression: an AMQP timestamp near 2^64 s trapped when converted for the outbox and RFC 3339.
            try await Self.withProbe("probe-time", events: [ProbeRecorded.routingKey, MessageRejected.routingKey]) {
                run in
                let (connection, tap) = (run.connection, run.tap)
                let far = Date(timeIntervalSince1970: 1e19)
                var garbage = Self.command(ProbeRecord(key: "x"))
                garbage.body = Data("not json".utf8)
                garbage.properties.timestamp = far
                garbage.properties.headers[EnvelopeHeader.time] = nil
                var valid = Self.command(ProbeRecord(key: "on-time"))
                valid.properties.timestamp = far
                valid.properties.headers[EnvelopeHeader.time] = nil
                try await connection.publish(garbage)
                try await connection.publish(valid)
                #expect(
                    await eventually {
                        await tap.payloads(MessageRejected.self).contains {
                            $0.originalMessageID == garbage.properties.messageID
                        }
                    })
                #expect(await eventually { await tap.payloads(ProbeRecorded.self).contains { $0.key == "on-time" } })
            }
        }

        @Test("a rejected command with reply_to gets the rejection as its reply")
        func rejectionReply() async throws {
            try await Self.withProbe("probe-reply") { run in
                let connection = run.connection
                let replies = TestBroker.uniqueName("replies")
                try await connection.declare(AMQPTopology(queues: [.init(replies, durable: false, exclusive: true)]))
                let message = Self.command(ProbeRecord(key: "r", mode: .reject), replyTo: replies)
                try await connection.publish(message)
                let consumer = try await connection.consume(queue: replies, prefetch: 1)
                var iterator = consumer.makeAsyncIterator()
                let reply = try #require(try await iterator.next())
                let rejected = try ContractDecoder.decode(MessageRejected.self, from: reply.body)
                #expect(rejected.reason == .ruleViolation)
                #expect(reply.properties.correlationID == message.properties.correlationID)
                try await reply.ack()
            }
        }

        @Test("a poison message is retried through the tiers, then parked with its reason, while others keep flowing")
        func poisonMessage() async throws {
            try await Self.withProbe(
                "probe-poison", environment: ["NPQ_PROBE_RETRY_DELAYS": "0.5,0.5"],
                events: [ProbeRecorded.routingKey, MessageRejected.routingKey]
            ) { run in
                let (name, service, connection, tap) = (run.name, run.service, run.connection, run.tap)
                let poison = Self.command(ProbeRecord(key: "poison", mode: .fail))
                try await connection.publish(poison)
                for index in 0..<50 { try await connection.publish(Self.command(ProbeRecord(key: "ok-\(index)"))) }

                #expect(await eventually { await tap.payloads(ProbeRecorded.self).count == 50 })
                #expect(
                    await eventually {
                        await tap.payloads(MessageRejected.self).contains {
                            $0.originalMessageID == poison.properties.messageID
                        }
                    })
                let event = try #require(
                    await tap.payloads(MessageRejected.self).first {
                        $0.originalMessageID == poison.properties.messageID
                    })
                #expect(event.reason == .retriesExhausted)
                #expect(event.detail.contains("failed 3 times"))
                #expect(event.detail.contains("injected failure"))
                let parked = try await ParkedMessagesTests.parked(
                    try TestBroker.operatorClient(connection), ParkedList(service: name, reason: .retriesExhausted),
                    count: 1)
                #expect(parked?.messages.first?.messageID == poison.properties.messageID)
                try await service.stop()
                let effects = try await RuntimeProbe.effects(databasePath: run.databasePath)
                #expect(effects.count == 50)
                #expect(effects["poison"] == nil)
            }
        }

        @Test("a routing key that does not match the type is refused, so topic permissions cannot be side-stepped")
        func routingKeyMismatch() async throws {
            try await Self.withProbe("probe-smuggle", events: [MessageRejected.routingKey]) { run in
                let (name, connection, tap) = (run.name, run.connection, run.tap)
                // Bind the probe's queue to a second key to simulate a permitted key carrying another type.
                try await connection.declare(
                    AMQPTopology(bindings: [
                        .init(queue: "npq.\(name)", exchange: Topology.commandsExchange, routingKey: "probe.other.v1")
                    ]))
                var message = Self.command(ProbeRecord(key: "smuggled"))
                message.routingKey = "probe.other.v1"
                try await connection.publish(message)
                #expect(
                    await eventually {
                        await tap.payloads(MessageRejected.self).contains {
                            $0.originalMessageID == message.properties.messageID
                        }
                    })
                #expect(await tap.payloads(MessageRejected.self).first?.reason == .unauthorized)
            }
        }

        @Test(
            "messages that wait together are handled in batches: each once, in one transaction, and a refusal or failure among them undone alone"
        )
        func batches() async throws {
            let environment = ["NPQ_PROBE_RETRY_DELAYS": "0.3,0.3"]
            try await Self.withProbe(
                "probe-batch", environment: environment, events: [ProbeRecorded.routingKey, MessageRejected.routingKey]
            ) { run in
                let (name, connection, tap) = (run.name, run.connection, run.tap)
                // With the service stopped (its queues kept), everything published next waits in its queue and
                // arrives at once when it starts again.
                try await run.service.stop(keepingQueues: true)
                var messages = (0..<60).map { Self.command(ProbeRecord(key: "b-\($0)")) }
                let refused = Self.command(ProbeRecord(key: "refused", mode: .writeThenReject))
                let failing = Self.command(ProbeRecord(key: "failing", mode: .writeThenFail))
                messages.insert(refused, at: 20)
                messages.insert(messages[10], at: 30)  // the same message id twice, close together
                messages.insert(failing, at: 40)
                for message in messages { try await connection.publish(message) }

                let service = try await InProcessService(
                    name: name, environment: environment, dataDirectory: run.service.dataDirectory
                ) { app in RuntimeProbe.configure(&app, environment: environment) }
                do {
                    #expect(await eventually { await tap.payloads(ProbeRecorded.self).count == 60 })
                    #expect(
                        await eventually {
                            let rejected = await tap.payloads(MessageRejected.self)
                            return rejected.contains {
                                $0.originalMessageID == refused.properties.messageID && $0.reason == .ruleViolation
                            }
                                && rejected.contains {
                                    $0.originalMessageID == failing.properties.messageID
                                        && $0.reason == .retriesExhausted
                                }
                        })
                    let recorded = await tap.payloads(ProbeRecorded.self)
                    // What the refused and failing handlers published before throwing went with their rollback.
                    #expect(recorded.allSatisfy { $0.key.hasPrefix("b-") && $0.applied == 1 })
                    #expect(Set(recorded.map(\.key)).count == 60)

                    let port = try #require(try await service.running?.httpPort())
                    let (_, metrics) = try await httpGet(port: port, path: "/metrics")
                    let batches = metrics.split(separator: "\n").first {
                        $0.hasPrefix("npq_consumer_batches_total{") && $0.contains(#"service="\#(name)""#)
                    }
                    let count = try #require(batches.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) })
                    // 63 deliveries arrived together (and the failing one came back twice): far fewer batches.
                    #expect(count >= 1 && count <= 31, "\(count) batches")
                } catch {
                    try? await service.stop()
                    throw error
                }
                try await service.stop()
                let effects = try await RuntimeProbe.effects(databasePath: run.databasePath)
                #expect(effects.count == 60)
                #expect(effects.values.allSatisfy { $0 == 1 })
                #expect(effects["refused"] == nil && effects["failing"] == nil)
            }
        }

        @Test("health: ready once consuming; metrics count handled messages")
        func healthAndMetrics() async throws {
            try await Self.withProbe("probe-health", events: [ProbeRecorded.routingKey]) { run in
                let (name, service, connection, tap) = (run.name, run.service, run.connection, run.tap)
                try await connection.publish(Self.command(ProbeRecord(key: "counted")))
                #expect(await eventually { await !tap.payloads(ProbeRecorded.self).isEmpty })
                let port = try #require(try await service.running?.httpPort())
                let (readyStatus, readyBody) = try await httpGet(port: port, path: "/health/ready")
                #expect(readyStatus == 200, "\(readyBody)")
                let (metricsStatus, metrics) = try await httpGet(port: port, path: "/metrics")
                #expect(metricsStatus == 200)
                #expect(metrics.contains(#"npq_messages_total{"#) && metrics.contains(#"service="\#(name)""#))
            }
        }
    }

}

/// A plain HTTP GET over a socket to 127.0.0.1, off the cooperative pool.
func httpGet(port: Int, path: String) async throws -> (Int, String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            guard let socket = LoopbackSocket.connect(port: port) else {
                continuation.resume(throwing: POSIXError(.ECONNREFUSED))
                return
            }
            defer { close(socket) }
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            _ = request.withCString { send(socket, $0, strlen($0), 0) }
            var response = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count <= 0 { break }
                response.append(contentsOf: buffer[0..<count])
            }
            let text = String(decoding: response, as: UTF8.self)
            let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            continuation.resume(returning: (status, body))
        }
    }
}
