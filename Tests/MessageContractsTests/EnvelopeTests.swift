import Foundation
import MessageContracts
import Testing

/// Envelopes: ids and causality, and the trip through AMQP properties and CloudEvents headers.
@Suite("Envelopes")
struct EnvelopeTests {
    private static let time = RFC3339.parse("2024-09-02T08:15:30.250Z")!
    private static let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    private static let id = "0b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93"

    @Test("A new envelope has a lowercase UUID id and uses it as correlation id")
    func newEnvelopeCorrelatesWithItself() {
        let envelope = Envelope.new(type: "npq.application.submit.v1", source: "urn:npq:cli", time: Self.time)
        #expect(UUID(uuidString: envelope.messageID) != nil)
        #expect(envelope.messageID == envelope.messageID.lowercased())
        #expect(envelope.correlationID == envelope.messageID)
        #expect(envelope.causationID == nil)
        #expect(envelope.contentType == "application/json")
        #expect(Envelope.new(type: "t", source: "s", correlationID: "c").correlationID == "c")
        #expect(Envelope.new(type: "t", source: "s").messageID != Envelope.new(type: "t", source: "s").messageID)
    }

    @Test("A consequence shares the parent's conversation, is caused by it, and continues its trace")
    func consequenceCarriesCausality() throws {
        let parent = Envelope.new(
            type: "npq.application.submit.v1", source: "urn:npq:cli", correlationID: "conversation-1",
            traceparent: Self.trace, time: Self.time)
        let child = Envelope.consequence(
            of: parent, type: "npq.application.submitted.v1", source: Envelope.source(forService: "applications"),
            appID: "npq-applications", time: Self.time)
        #expect(child.correlationID == "conversation-1")
        #expect(child.causationID == parent.messageID)
        #expect(child.messageID != parent.messageID)
        #expect(child.source == "urn:npq:service:applications")
        let childTrace = try #require(child.traceparent.flatMap { TraceParent($0) })
        let parentTrace = try #require(TraceParent(Self.trace))
        #expect(childTrace.traceID == parentTrace.traceID)
        #expect(childTrace.spanID != parentTrace.spanID)
        #expect(childTrace.flags == parentTrace.flags)

        let uncorrelated = Envelope(messageID: Self.id, type: "t", source: "s", time: Self.time)
        let grandchild = Envelope.consequence(of: uncorrelated, type: "t2", source: "s", time: Self.time)
        #expect(grandchild.correlationID == Self.id)
        #expect(grandchild.traceparent == nil)
    }

    @Test("CloudEvents headers carry id, source, type, time and the optional causation and trace")
    func cloudEventsHeaders() {
        let envelope = Envelope(
            messageID: Self.id, correlationID: "c", causationID: "parent", type: "npq.message.rejected.v1",
            source: "urn:npq:service:applications", time: Self.time, traceparent: Self.trace)
        #expect(
            envelope.cloudEventsHeaders == [
                "cloudEvents_specversion": "1.0",
                "cloudEvents_id": Self.id,
                "cloudEvents_source": "urn:npq:service:applications",
                "cloudEvents_type": "npq.message.rejected.v1",
                "cloudEvents_time": "2024-09-02T08:15:30.250Z",
                "causation_id": "parent",
                "traceparent": Self.trace,
            ])
        let bare = Envelope(messageID: Self.id, type: "t", source: "s", time: Self.time)
        #expect(bare.cloudEventsHeaders["causation_id"] == nil)
        #expect(bare.cloudEventsHeaders["traceparent"] == nil)
    }

    @Test("An envelope survives the round trip through AMQP properties and headers")
    func roundTripThroughHeaders() throws {
        let original = Envelope.new(
            type: "npq.application.submit.v1", source: "urn:npq:cli", appID: "npq-cli", causationID: "cause",
            replyTo: "amq.rabbitmq.reply-to", traceparent: Self.trace, time: Date())
        var withUser = original
        withUser.userID = "integrator"
        let rebuilt = try Envelope(
            headers: withUser.cloudEventsHeaders, messageID: withUser.messageID, correlationID: withUser.correlationID,
            type: withUser.type, appID: withUser.appID, userID: withUser.userID, replyTo: withUser.replyTo,
            timestamp: nil)
        #expect(rebuilt == withUser)
    }

    @Test("Plain AMQP without CloudEvents headers is accepted with sensible defaults")
    func plainAMQPIsAccepted() throws {
        let received = Date()
        let envelope = try Envelope(
            headers: [:], messageID: Self.id, correlationID: "", type: "npq.application.submit.v1",
            appID: "lead-provider",
            userID: nil, replyTo: nil, timestamp: nil, receivedAt: received)
        #expect(envelope.correlationID == nil)
        #expect(envelope.source == "urn:npq:app:lead-provider")
        #expect(envelope.time == received)
        let fromTimestamp = try Envelope(
            headers: [:], messageID: Self.id, correlationID: nil, type: "t", appID: nil, userID: nil, replyTo: nil,
            timestamp: Self.time)
        #expect(fromTimestamp.time == Self.time)
        #expect(fromTimestamp.source == "urn:npq:unknown")
        let fromHeaders = try Envelope(
            headers: ["cloudEvents_id": Self.id, "cloudEvents_type": "t"], messageID: nil, correlationID: nil,
            type: nil,
            appID: nil, userID: nil, replyTo: nil, timestamp: nil)
        #expect(fromHeaders.messageID == Self.id)
        #expect(fromHeaders.type == "t")
    }

    @Test("A malformed traceparent is dropped rather than refusing the message")
    func malformedTraceIsDropped() throws {
        let envelope = try Envelope(
            headers: ["traceparent": "00-xyz"], messageID: Self.id, correlationID: nil, type: "t", appID: nil,
            userID: nil, replyTo: nil, timestamp: Self.time)
        #expect(envelope.traceparent == nil)
    }

    /// An envelope rebuild that should fail, and the property the error must name.
    struct BadDelivery: Sendable, CustomTestStringConvertible {
        let name: String
        let headers: [String: String]
        let messageID: String?
        let type: String?
        let property: String
        let code: EnvelopeError.Code
        var testDescription: String { name }
    }

    @Test(
        "Invalid properties are refused with an error naming the property",
        arguments: [
            BadDelivery(
                name: "missing message id", headers: [:], messageID: nil, type: "t", property: "message_id",
                code: .missing),
            BadDelivery(
                name: "empty message id", headers: [:], messageID: "", type: "t", property: "message_id",
                code: .missing),
            BadDelivery(
                name: "message id not a UUID", headers: [:], messageID: "order-17", type: "t",
                property: "message_id", code: .invalid),
            BadDelivery(
                name: "missing type", headers: [:], messageID: id, type: nil, property: "type", code: .missing),
            BadDelivery(
                name: "wrong spec version", headers: ["cloudEvents_specversion": "0.3"], messageID: id, type: "t",
                property: "cloudEvents_specversion", code: .invalid),
            BadDelivery(
                name: "unparseable time", headers: ["cloudEvents_time": "yesterday"], messageID: id, type: "t",
                property: "cloudEvents_time", code: .invalid),
            BadDelivery(
                name: "time without zone", headers: ["cloudEvents_time": "2024-09-02T08:15:30"], messageID: id,
                type: "t", property: "cloudEvents_time", code: .invalid),
            BadDelivery(
                name: "id header disagrees with message_id",
                headers: ["cloudEvents_id": "1b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93"], messageID: id, type: "t",
                property: "cloudEvents_id", code: .conflicting),
            BadDelivery(
                name: "type header disagrees with type", headers: ["cloudEvents_type": "u"], messageID: id,
                type: "t", property: "cloudEvents_type", code: .conflicting),
        ])
    func invalidPropertiesAreNamed(delivery: BadDelivery) {
        do {
            _ = try Envelope(
                headers: delivery.headers, messageID: delivery.messageID, correlationID: nil, type: delivery.type,
                appID: nil, userID: nil, replyTo: nil, timestamp: nil)
            Issue.record("expected an error naming \(delivery.property)")
        } catch {
            #expect(error.property == delivery.property)
            #expect(error.code == delivery.code)
            #expect(error.message.contains(delivery.property))
            #expect(error.fieldError.field == delivery.property)
        }
    }
}
