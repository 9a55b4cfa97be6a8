import Foundation

/// What a ``ParkedReplay`` did: the messages sent back to their service, and the ids it could not take.
public struct ParkedReplayed: MessageContract {
    public var service: String
    /// How many messages were sent back.
    public var replayed: Int
    /// Their ids (the first 1,000).
    public var messageIDs: [String]
    /// Ids given that the service has no parked message for.
    public var notFound: [String]
    /// Ids given whose message was already replayed and not parked again since.
    public var notParked: [String]
    /// Ids given whose body was too large to keep whole (refused as `too_large`): they cannot be replayed.
    public var notReplayable: [String]
    /// With `all`: messages that match but were left for the next replay (one replay takes at most 1,000, or 64 MiB
    /// of bodies).
    public var remaining: Int
    /// The operator (broker user) who replayed them.
    public var replayedBy: String
    public var replayedAt: Date

    public init(
        service: String, replayed: Int, messageIDs: [String], notFound: [String], notParked: [String],
        notReplayable: [String], remaining: Int = 0, replayedBy: String, replayedAt: Date
    ) {
        self.service = service
        self.replayed = replayed
        self.messageIDs = messageIDs
        self.notFound = notFound
        self.notParked = notParked
        self.notReplayable = notReplayable
        self.remaining = remaining
        self.replayedBy = replayedBy
        self.replayedAt = replayedAt
    }

    public static let name = "parked.replayed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "Parked messages were sent back to their service by an operator: how many, their ids, and the ids that were not found or not parked."

    public static var schema: JSONSchema {
        let ids = JSONSchema.array(of: .messageID, maxItems: 1_000)
        return .object(
            [
                "service": JSONSchema.serviceName.described("The service."),
                "replayed": JSONSchema.integer(minimum: 0).described("How many were sent back."),
                "messageIDs": ids.described("Their ids (the first 1,000)."),
                "notFound": ids.described("Ids with no parked message."),
                "notParked": ids.described("Ids already replayed and not parked again."),
                "notReplayable": ids.described("Ids whose body was too large to keep whole."),
                "remaining": JSONSchema.integer(minimum: 0).described(
                    "With all: matching messages left for next time."),
                "replayedBy": JSONSchema.string(minLength: 1, maxLength: 255).described("The operator."),
                "replayedAt": JSONSchema.dateTime.described("When."),
            ],
            required: [
                "service", "replayed", "messageIDs", "notFound", "notParked", "notReplayable", "remaining",
                "replayedBy", "replayedAt",
            ],
            additionalProperties: true)
    }

    public static var example: ParkedReplayed {
        ParkedReplayed(
            service: "applications", replayed: 1, messageIDs: ["3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f"], notFound: [],
            notParked: [], notReplayable: [], replayedBy: "npq-operator",
            replayedAt: RFC3339.parse("2026-11-20T10:02:00Z")!)
    }
}
