/// Which parked messages an operator's replay or purge takes: the ids given, or every one still parked that matches
/// the filters (`all`). Exactly one of `messageIDs` and `all: true`.
public struct ParkedSelection: Sendable, Equatable {
    /// The most ids one command may name.
    public static let maxMessageIDs = 500
    /// The most messages `all` replays at once (fewer when their bodies pass ``maxReplayBytes``); the rest wait for
    /// the next replay.
    public static let maxReplayAll = 1_000
    public static let maxReplayBytes = 64 * 1_048_576
    /// The most messages `all` purges at once.
    public static let maxPurgeAll = 10_000

    public var messageIDs: [String]?
    public var all: Bool?
    /// With `all`: only those refused for this reason.
    public var reason: RejectionReason?
    /// With `all`: only those of this type.
    public var type: String?

    public init(messageIDs: [String]? = nil, all: Bool? = nil, reason: RejectionReason? = nil, type: String? = nil) {
        self.messageIDs = messageIDs
        self.all = all
        self.reason = reason
        self.type = type
    }

    /// The selection's properties, for the schemas of the commands that carry one.
    static var properties: [String: JSONSchema] {
        [
            "messageIDs": JSONSchema.array(of: .messageID, minItems: 1, maxItems: maxMessageIDs).nullable().described(
                "The parked messages, by id."),
            "all": JSONSchema.boolean.nullable().described(
                "Every message that matches reason and type (a replay takes at most 1,000 at once, a purge 10,000)."),
            "reason": JSONSchema.enumeration(of: RejectionReason.self).nullable().described(
                "With all: only those refused for this reason."),
            "type": JSONSchema.string(minLength: 1, maxLength: 200).nullable().described(
                "With all: only those of this type."),
        ]
    }
}
