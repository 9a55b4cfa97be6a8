/// An operator deletes parked messages for good (by id, or all that match a reason or type): messages that will
/// never be handled, such as hostile input or a test's leftovers.
public struct ParkedPurge: MessageContract {
    public var service: String
    /// The parked messages, by id (or `all`).
    public var messageIDs: [String]?
    /// Every message (parked or replayed) that matches ``reason`` and ``type``.
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

    public static let name = "parked.purge"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator deletes parked messages for good (by id, or every parked or replayed one that matches a reason or type). Answered and announced with parked.purged."

    public static var schema: JSONSchema {
        var properties = ParkedSelection.properties
        properties["service"] = JSONSchema.serviceName.described("The service whose parked messages to delete.")
        return .object(properties, required: ["service"])
    }

    public static var example: ParkedPurge {
        ParkedPurge(
            service: "applications", selection: ParkedSelection(messageIDs: ["3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f"]))
    }
}
