import Foundation
import MessageContracts
import Testing

/// The wire identity of message types: `npq.<name>.v<N>`, parsed strictly.
@Suite("Message types")
struct MessageTypeTests {
    @Test(
        "Well-formed type names parse into name and version",
        arguments: [
            ("npq.message.rejected.v1", "message.rejected", 1),
            ("npq.application.submitted.v12", "application.submitted", 12),
            ("npq.senco.reminder-due.v2", "senco.reminder-due", 2),
            ("npq.cohort.registration.opened.v1", "cohort.registration.opened", 1),
            ("npq.eligibility.list.pp50.v3", "eligibility.list.pp50", 3),
        ])
    func parsesWellFormedTypeNames(typeName: String, name: String, version: Int) throws {
        let type = try #require(MessageType(typeName: typeName))
        #expect(type.name == name)
        #expect(type.version == version)
        #expect(type.typeName == typeName)
        #expect(type.description == typeName)
    }

    @Test(
        "Malformed type names are refused",
        arguments: [
            "", "npq.", "npq.v1", "message.rejected.v1", "npq.message.rejected", "npq.message.rejected.v0",
            "npq.message.rejected.v01", "npq.message.rejected.v-1", "npq.message.rejected.v1x",
            "npq.Message.rejected.v1",
            "npq.message..rejected.v1", "npq..message.v1", "npq.message.rejected..v1", "npq.message.rejected-.v1",
            "npq.1message.v1", "npq.message_rejected.v1", "npq.message.v1.v2", "NPQ.message.rejected.v1",
            "npq.message rejected.v1", "npq.message.rejected.v99999999999999999999999",
        ])
    func refusesMalformedTypeNames(typeName: String) {
        #expect(MessageType(typeName: typeName) == nil)
    }

    @Test("Routing key is the type name without the npq. prefix")
    func routingKeyDropsPrefix() {
        let type = MessageType(name: "application.submit", version: 1)
        #expect(type.routingKey == "application.submit.v1")
        #expect(type.typeName == "npq.application.submit.v1")
    }

    @Test("A contract derives its type name, routing key and exchange from name, version and kind")
    func contractDerivesWireIdentity() {
        #expect(MessageRejected.typeName == "npq.message.rejected.v1")
        #expect(MessageRejected.routingKey == "message.rejected.v1")
        #expect(MessageRejected.exchange == Topology.eventsExchange)
        #expect(MessageRejected.messageType == MessageType(name: "message.rejected", version: 1))
    }

    @Test("Commands and queries go to the commands exchange, events to events, replies to the default exchange")
    func exchangeFollowsKind() {
        #expect(Probe<Command>.exchange == "npq.commands")
        #expect(Probe<Query>.exchange == "npq.commands")
        #expect(Probe<Event>.exchange == "npq.events")
        #expect(Probe<Reply>.exchange == "")
    }

    @Test("A message type encodes as its type name string")
    func codesAsString() throws {
        let type = MessageType(name: "application.accepted", version: 2)
        let data = try JSONEncoder().encode([type])
        #expect(String(decoding: data, as: UTF8.self) == #"["npq.application.accepted.v2"]"#)
        #expect(try JSONDecoder().decode([MessageType].self, from: data) == [type])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MessageType].self, from: Data(#"["application.accepted"]"#.utf8))
        }
    }
}

// MARK: - Probe contracts of each kind

private protocol ProbeKind: Sendable {
    static var kind: MessageKind { get }
}
private enum Command: ProbeKind { static let kind = MessageKind.command }
private enum Query: ProbeKind { static let kind = MessageKind.query }
private enum Event: ProbeKind { static let kind = MessageKind.event }
private enum Reply: ProbeKind { static let kind = MessageKind.reply }

/// A minimal contract whose kind is chosen by the type parameter.
private struct Probe<Kind: ProbeKind>: MessageContract {
    static var name: String { "probe.\(Kind.kind.rawValue)" }
    static var version: Int { 1 }
    static var kind: MessageKind { Kind.kind }
    static var summary: String { "A probe." }
    static var schema: JSONSchema { .object([:], required: []) }
    static var example: Probe { Probe() }
}
