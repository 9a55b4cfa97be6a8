import Foundation
import Logging
import MessageContracts
import Testing

@testable import ServiceRuntime

/// The parked-message table on its own: which copies of a parked message count, and what a replay sends back.
@Suite("Parked store")
struct ParkedStoreTests {
    static let topology = ServiceTopology(service: "probe", bindings: [])
    static let start = RFC3339.parse("2026-11-20T09:00:00Z")!

    static func copy(
        _ id: String = "m-1", replayCount: Int = 0, body: Data = Data(#"{"key":"k"}"#.utf8)
    )
        -> ParkedStore.Copy
    {
        ParkedStore.Copy(
            messageID: id, type: "npq.probe.record.v1", reason: .ruleViolation, detail: "refused", fieldErrors: [],
            publisher: "npq-lp-teach-first", correlationID: "c-1", replyTo: "amq.gen-reply", appID: "lp",
            exchange: "npq.commands", routingKey: "probe.record.v1", timestamp: start,
            headers: [
                EnvelopeHeader.rejectionReason: "rule_violation", EnvelopeHeader.retryCount: "3",
                RuntimeHeader.originalPublisher: "npq-lp-teach-first", "cloudEvents_source": "urn:npq:lp",
            ], body: body, replayCount: replayCount)
    }

    static func withStore(_ body: (SQLStore) async throws -> Void) async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        try await store.migrate(MessageStore.migrations)
        do {
            try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    @Test(
        "a copy seen again is a duplicate; after a replay, the next copy parks the message again; an older one is ignored"
    )
    func copiesOfOneMessage() async throws {
        try await Self.withStore { store in
            func ingest(_ copy: ParkedStore.Copy) async throws -> ParkedStore.Ingested {
                try await store.transaction { try await ParkedStore.ingest(copy, at: Self.start, in: $0) }
            }
            #expect(try await ingest(Self.copy()) == .parked)
            #expect(try await ingest(Self.copy()) == .duplicate)
            let replay = try await store.transaction {
                try await ParkedStore.replay(
                    ParkedSelection(messageIDs: ["m-1"]), service: Self.topology, by: "npq-operator", at: Self.start,
                    in: $0)
            }
            #expect(replay.result.replayed == 1)
            #expect(try await ingest(Self.copy()) == .duplicate, "a late copy of the first parking")
            #expect(try await ingest(Self.copy(replayCount: 1)) == .parkedAgain)
            #expect(try await ingest(Self.copy(replayCount: 1)) == .duplicate)
            let listed = try await store.read {
                try await ParkedStore.list(ParkedList(service: "probe"), service: "probe", in: $0)
            }
            #expect(listed.total == 1)
            #expect(listed.messages.first?.timesParked == 2)
            #expect(listed.messages.first?.replays == 1)
        }
    }

    @Test("a replay sends the message back as first published, without its rejection and retry headers")
    func replayedCopy() async throws {
        try await Self.withStore { store in
            _ = try await store.transaction { try await ParkedStore.ingest(Self.copy(), at: Self.start, in: $0) }
            let replay = try await store.transaction {
                try await ParkedStore.replay(
                    ParkedSelection(all: true), service: Self.topology, by: "npq-operator", at: Self.start, in: $0)
            }
            let message = try #require(replay.messages.first)
            #expect(message.exchange == Topology.deadLetterExchange)
            #expect(message.routingKey == "npq.probe.replay")
            #expect(message.messageID == "m-1" && message.type == "npq.probe.record.v1")
            #expect(message.correlationID == "c-1" && message.replyTo == "amq.gen-reply")
            #expect(message.body == Data(#"{"key":"k"}"#.utf8))
            #expect(message.headers[RuntimeHeader.originalPublisher] == "npq-lp-teach-first")
            #expect(message.headers[RuntimeHeader.originalExchange] == "npq.commands")
            #expect(message.headers[RuntimeHeader.originalRoutingKey] == "probe.record.v1")
            #expect(message.headers[RuntimeHeader.replayCount] == "1")
            #expect(message.headers[RuntimeHeader.replayedBy] == "npq-operator")
            #expect(message.headers[EnvelopeHeader.rejectionReason] == nil)
            #expect(message.headers[EnvelopeHeader.retryCount] == nil)
            #expect(message.headers["cloudEvents_source"] == "urn:npq:lp")
        }
    }

    @Test("a replay forgets the refusal in the inbox, so the message is handled again, and no other inbox entry")
    func inboxForgetsTheRefusal() async throws {
        try await Self.withStore { store in
            try await store.transaction { database in
                _ = try await ParkedStore.ingest(Self.copy(), at: Self.start, in: database)
                try await MessageStore.recordHandled(
                    "m-1", type: nil, consumer: "npq.probe", outcome: "rejected: rule_violation", at: Self.start,
                    in: database)
                try await MessageStore.recordHandled(
                    "m-2", type: nil, consumer: "npq.probe", outcome: "handled", at: Self.start, in: database)
                _ = try await ParkedStore.replay(
                    ParkedSelection(messageIDs: ["m-1"]), service: Self.topology, by: "npq-operator", at: Self.start,
                    in: database)
            }
            let (first, second) = try await store.read { database in
                (
                    try await MessageStore.alreadyHandled("m-1", consumer: "npq.probe", in: database),
                    try await MessageStore.alreadyHandled("m-2", consumer: "npq.probe", in: database)
                )
            }
            #expect(!first, "the refused message is handled again")
            #expect(second, "a handled message stays handled")
        }
    }

    @Test("a body over 1 MiB is kept cut short and is not replayed")
    func oversizedBody() async throws {
        try await Self.withStore { store in
            let big = Data(repeating: UInt8(ascii: "a"), count: 2_000_000)
            _ = try await store.transaction {
                try await ParkedStore.ingest(Self.copy(body: big), at: Self.start, in: $0)
            }
            let shown = try #require(
                try await store.read { try await ParkedStore.show("m-1", service: "probe", in: $0) })
            #expect(shown.bodyBytes == 2_000_000)
            #expect(shown.bodyTruncated == true)
            #expect(shown.body?.count == ParkedShow.maxBodyBytes)
            let replay = try await store.transaction {
                try await ParkedStore.replay(
                    ParkedSelection(messageIDs: ["m-1"]), service: Self.topology, by: "npq-operator", at: Self.start,
                    in: $0)
            }
            #expect(replay.result.replayed == 0 && replay.result.notReplayable == ["m-1"])
        }
    }
}
