/// An operator sends parked messages back to their service, to be handled again as they were first published
/// (same message id, publisher and routing key), once the cause of their refusal is mended.
///
/// A message refused again is parked again. Replaying is safe to repeat: a message is replayed only while it is
/// parked, and its service still applies each message id once.
public struct ParkedReplay: MessageContract {
    public var service: String
    /// The parked messages, by id (or `all`).
    public var messageIDs: [String]?
    /// Every message still parked that matches ``reason`` and ``type``.
    public var all: Bool?
    public var reason: RejectionReason?
    public var type: String?

    public init(service: String, selection: ParkedSelection) {
        self.service = service
        messageIDs = selection.messageIDs
        all = selection.all
        reason = selection.reason
        type = selection.type
    }

    /// Which messages it takes.
    public var selection: ParkedSelection {
        ParkedSelection(messageIDs: messageIDs, all: all, reason: reason, type: type)
    }

    public static let name = "parked.replay"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator sends parked messages (by id, or all that match a reason or type) back to the service that refused them, to be handled again with their original id and publisher. Answered and announced with parked.replayed."

    public static var schema: JSONSchema {
        var properties = ParkedSelection.properties
        properties["service"] = JSONSchema.serviceName.described("The service whose parked messages to replay.")
        return .object(properties, required: ["service"])
    }

    public static var example: ParkedReplay {
        ParkedReplay(
            service: "applications", selection: ParkedSelection(messageIDs: ["3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f"]))
    }
}
