/// Which parked messages an operator's replay or purge takes: the ids given, or every one still parked that matches
/// the filters (`all`). Exactly one of `messageIDs` and `all: true`.
public struct ParkedSelection: Sendable, Equatable {
    /// The most ids one command may name, and the most messages `all` takes at once.
    public static let maxMessageIDs = 500
    public static let maxAll = 10_000

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
                "Every message still parked that matches reason and type (at most 10,000 at once)."),
            "reason": JSONSchema.enumeration(of: RejectionReason.self).nullable().described(
                "With all: only those refused for this reason."),
            "type": JSONSchema.string(minLength: 1, maxLength: 200).nullable().described(
                "With all: only those of this type."),
        ]
    }
}
