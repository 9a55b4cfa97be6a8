import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

extension ProbeSuites {
    /// Parked messages as operators meet them: kept in the service's database with their rejection, listed, shown,
    /// replayed once the cause is mended, purged — all over the broker, as `npq parked` does it.
    @Suite("Parked messages")
    struct ParkedMessagesTests {
        typealias Loop = ConsumerLoopBrokerTests

        /// Waits until the probe has `count` parked messages matching `query`, and returns them.
        static func parked(
            _ client: NPQClient, _ query: ParkedList, count: Int
        ) async throws -> ParkedListResult? {
            var last: ParkedListResult?
            let found = await eventually {
                last = try? await client.ask(query, expecting: ParkedListResult.self, timeout: .seconds(5))
                return last?.total == count
            }
            return found ? last : nil
        }

        @Test("a refused message is kept with its reason, field errors, publisher and body, and shown whole")
        func keptAndShown() async throws {
            try await Loop.withProbe("probe-parked", events: [MessageRejected.routingKey]) { run in
                let client = try TestBroker.operatorClient(run.connection)
                var message = Loop.command(ProbeRecord(key: "x"))
                message.body = Data(#"{"mode":"ok","extra":"<script>"}"#.utf8)
                message.properties.userID = client.userID
                let id = try #require(message.properties.messageID)
                try await run.connection.publish(message)

                let listed = try #require(
                    try await Self.parked(client, ParkedList(service: run.name), count: 1),
                    "the refused message was not listed")
                let entry = try #require(listed.messages.first)
                #expect(entry.messageID == id)
                #expect(entry.reason == .invalidFields)
                #expect(entry.fieldErrors.contains { $0.field == "key" && $0.rule == "required" })
                #expect(entry.publisher == client.userID)
                #expect(entry.exchange == Topology.commandsExchange)
                #expect(entry.routingKey == ProbeRecord.routingKey)
                #expect(entry.status == .parked && entry.timesParked == 1 && entry.replays == 0)
                #expect(entry.body == nil, "a listing carries no bodies")

                let shown = try await client.ask(
                    ParkedShow(service: run.name, messageID: id), expecting: ParkedShowResult.self)
                let full = try #require(shown.message)
                #expect(full.body == #"{"mode":"ok","extra":"<script>"}"#)
                #expect(full.bodyEncoding == .utf8 && full.bodyTruncated == false)
                #expect(full.headers?.contains { $0.name == "x-npq-rejection" && $0.value == "invalid_fields" } == true)

                let missing = try await client.ask(
                    ParkedShow(service: run.name, messageID: "no-such-id"), expecting: ParkedShowResult.self)
                #expect(missing.message == nil)
                // The parked queue itself is emptied into the database.
                #expect(
                    await eventually {
                        (try? await run.connection.inspectQueue("npq.\(run.name).parked"))?.messages == 0
                    })
            }
        }

        @Test("a publisher's own x-npq-* headers are not believed: the parked message keeps its real publisher")
        func forgedRuntimeHeaders() async throws {
            try await Loop.withProbe("probe-forged", events: [MessageRejected.routingKey]) { run in
                let client = try TestBroker.operatorClient(run.connection)
                // No user_id, a forged original publisher and replay count, through the commands exchange and
                // straight into the service's queue.
                var viaExchange = Loop.command(ProbeRecord(key: "f-1", mode: .reject))
                var direct = Loop.command(ProbeRecord(key: "f-2", mode: .reject))
                for index in [0, 1] {
                    var message = index == 0 ? viaExchange : direct
                    message.properties.userID = nil
                    message.properties.headers["x-npq-original-user-id"] = .string("npq-operator")
                    message.properties.headers["x-npq-replay-count"] = .string("7")
                    message.properties.headers["x-death"] = .array([.table(["exchange": .string("")])])
                    if index == 0 { viaExchange = message } else { direct = message }
                }
                direct.exchange = ""
                direct.routingKey = "npq.\(run.name)"
                try await run.connection.publish(viaExchange)
                try await run.connection.publish(direct)
                let listed = try #require(try await Self.parked(client, ParkedList(service: run.name), count: 2))
                for message in listed.messages {
                    #expect(message.publisher == nil, "\(message.messageID): \(String(describing: message.publisher))")
                    #expect(message.replays == 0)
                    // Straight into the queue, its routing key is not its type's: refused as unauthorized.
                    #expect([.ruleViolation, .unauthorized].contains(message.reason))
                }
            }
        }

        @Test("replayed after its cause is mended, a message is applied once; refused again, it is parked again")
        func replay() async throws {
            try await Loop.withProbe(
                "probe-replay",
                events: [MessageRejected.routingKey, ProbeRecorded.routingKey, ParkedReplayed.routingKey]
            ) { run in
                let client = try TestBroker.operatorClient(run.connection)
                var message = Loop.command(ProbeRecord(key: "gated-1", mode: .gated))
                message.properties.userID = client.userID
                let id = try #require(message.properties.messageID)
                try await run.connection.publish(message)
                #expect(try await Self.parked(client, ParkedList(service: run.name), count: 1) != nil)

                // Replayed before the cause is mended: refused again, parked again, with a rejection of its own.
                let first = try await client.ask(
                    ParkedReplay(service: run.name, selection: ParkedSelection(messageIDs: [id])),
                    expecting: ParkedReplayed.self)
                #expect(first.replayed == 1 && first.messageIDs == [id] && first.replayedBy == client.userID)
                #expect(
                    await eventually {
                        let list = try? await client.ask(
                            ParkedList(service: run.name), expecting: ParkedListResult.self, timeout: .seconds(5))
                        return list?.messages.first?.timesParked == 2
                    })
                let again = try #require(
                    try await client.ask(ParkedList(service: run.name), expecting: ParkedListResult.self).messages.first
                )
                #expect(again.replays == 1 && again.status == .parked && again.lastReplayedBy == client.userID)
                #expect(again.publisher == client.userID)
                let rejections = await run.tap.payloads(MessageRejected.self).filter { $0.originalMessageID == id }
                #expect(rejections.count == 2, "one message.rejected per refusal: \(rejections.count)")

                // Mended, replayed: applied once — which the probe does only when the replay still names the original
                // publisher (a gated message without one is refused).
                try await RuntimeProbe.allow(key: "gated-1", databasePath: run.databasePath)
                let second = try await client.ask(
                    ParkedReplay(service: run.name, selection: ParkedSelection(all: true, reason: .ruleViolation)),
                    expecting: ParkedReplayed.self)
                #expect(second.replayed == 1)
                #expect(
                    await eventually { await run.tap.payloads(ProbeRecorded.self).contains { $0.key == "gated-1" } })
                let replayedList = try #require(
                    try await Self.parked(client, ParkedList(service: run.name, status: .replayed), count: 1))
                #expect(replayedList.messages.first?.replays == 2)
                #expect(try await Self.parked(client, ParkedList(service: run.name), count: 0) != nil)

                // A third replay finds nothing parked: nothing is applied twice.
                let third = try await client.ask(
                    ParkedReplay(service: run.name, selection: ParkedSelection(messageIDs: [id, "unknown-id"])),
                    expecting: ParkedReplayed.self)
                #expect(third.replayed == 0 && third.notParked == [id] && third.notFound == ["unknown-id"])
                try await Task.sleep(for: .milliseconds(300))
                let effects = try await RuntimeProbe.effects(databasePath: run.databasePath)
                #expect(effects["gated-1"] == 1)
                // Other tests' services announce their replays too: count this service's.
                let announced = await eventually {
                    await run.tap.payloads(ParkedReplayed.self).filter { $0.service == run.name }.count == 3
                }
                #expect(announced, "each replay is announced")
            }
        }

        @Test("purge deletes parked messages for good and names the ids it did not find")
        func purge() async throws {
            try await Loop.withProbe("probe-purge", events: [MessageRejected.routingKey]) { run in
                let client = try TestBroker.operatorClient(run.connection)
                var ids: [String] = []
                for key in ["p-1", "p-2", "p-3"] {
                    let message = Loop.command(ProbeRecord(key: key, mode: .reject))
                    ids.append(try #require(message.properties.messageID))
                    try await run.connection.publish(message)
                }
                #expect(try await Self.parked(client, ParkedList(service: run.name), count: 3) != nil)
                let byID = try await client.ask(
                    ParkedPurge(service: run.name, selection: ParkedSelection(messageIDs: [ids[0], "unknown-id"])),
                    expecting: ParkedPurged.self)
                #expect(byID.purged == 1 && byID.messageIDs == [ids[0]] && byID.notFound == ["unknown-id"])
                let all = try await client.ask(
                    ParkedPurge(service: run.name, selection: ParkedSelection(all: true, reason: .ruleViolation)),
                    expecting: ParkedPurged.self)
                #expect(all.purged == 2)
                #expect(try await Self.parked(client, ParkedList(service: run.name, all: true), count: 0) != nil)
            }
        }

        @Test("only operators may list, replay or purge, and a selection names ids or all, not both")
        func refusals() async throws {
            try await Loop.withProbe("probe-parked-auth", environment: ["NPQ_OPERATOR_USERS": "someone-else"]) {
                run in
                let client = try TestBroker.operatorClient(run.connection)
                await #expect {
                    _ = try await client.ask(ParkedList(service: run.name), expecting: ParkedListResult.self)
                } throws: { error in
                    (error as? QueryRejectedError)?.rejection.reason == .unauthorized
                }
            }
            try await Loop.withProbe("probe-parked-selection") { run in
                let client = try TestBroker.operatorClient(run.connection)
                for (selection, field) in [
                    (ParkedSelection(), "messageIDs"), (ParkedSelection(messageIDs: ["a"], all: true), "all"),
                    (ParkedSelection(messageIDs: ["a"], reason: .unauthorized), "reason"),
                ] {
                    await #expect {
                        _ = try await client.ask(
                            ParkedReplay(service: run.name, selection: selection), expecting: ParkedReplayed.self)
                    } throws: { error in
                        (error as? QueryRejectedError)?.rejection.fieldErrors.first?.field == field
                    }
                }
            }
        }

        @Test("every service answers for itself with its readiness, queues, parked messages and outbox")
        func status() async throws {
            try await Loop.withProbe("probe-status") { run in
                let client = try TestBroker.operatorClient(run.connection)
                try await run.connection.publish(Loop.command(ProbeRecord(key: "s-1", mode: .reject)))
                var answer: ServiceStatusResult?
                let counted = await eventually {
                    let answers = try? await client.gather(
                        ServiceStatusGet(service: run.name), expecting: ServiceStatusResult.self, expected: 1,
                        timeout: .seconds(5))
                    answer = try? answers?.first?.get()
                    // Counted every 5 s: the first count may precede the consumer.
                    return answer?.queues.first?.consumers == 1 && answer?.parked == 1
                }
                #expect(counted, "\(String(describing: answer))")
                let status = try #require(answer)
                #expect(status.service == run.name && status.ready)
                #expect(Set(status.checks.map(\.name)) == ["broker", "database", "topology"])
                #expect(status.queues.map(\.name).first == "npq.\(run.name)")
                #expect(status.queues.first?.consumers == 1)
                #expect(status.queues.contains { $0.name == "npq.\(run.name).parked" && $0.consumers == 1 })
                #expect(status.parkedByReason == [.init(reason: .ruleViolation, count: 1)])
                // A query for another service is not this one's to answer.
                let other = try await client.gather(
                    ServiceStatusGet(service: "\(run.name)-other"), expecting: ServiceStatusResult.self, expected: 1,
                    timeout: .milliseconds(500))
                #expect(other.isEmpty)
            }
        }
    }
}
