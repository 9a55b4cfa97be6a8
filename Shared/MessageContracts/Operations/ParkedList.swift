/// An operator asks one service for the messages it set aside, newest first.
///
/// Every service's queue receives it; only the service it names answers (the others take no notice).
public struct ParkedList: MessageContract {
    /// The service to ask, e.g. `applications`.
    public var service: String
    /// Which messages: those still parked (the default), those replayed since, or all.
    public var status: ParkedStatus?
    /// Only those refused for this reason.
    public var reason: RejectionReason?
    /// Only those of this type (a full type name, `npq.application.accept.v1`).
    public var type: String?
    /// At most this many (default 50, at most ``maxLimit``).
    public var limit: Int?
    /// The most one page holds: with each message's detail and field errors, a page stays under 1 MiB.
    public static let maxLimit = 100
    /// Skip this many of the newest first (paging).
    public var offset: Int?
    /// Both statuses (overrides ``status``).
    public var all: Bool?

    public init(
        service: String, status: ParkedStatus? = nil, reason: RejectionReason? = nil, type: String? = nil,
        limit: Int? = nil, offset: Int? = nil, all: Bool? = nil
    ) {
        self.service = service
        self.status = status
        self.reason = reason
        self.type = type
        self.limit = limit
        self.offset = offset
        self.all = all
    }

    public static let name = "parked.list"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "An operator lists the messages one service set aside (parked), newest first, with their rejection reasons; filtered by status, reason or type and paged. Every service receives it; the one named answers with parked.list.result."

    public static var schema: JSONSchema {
        .object(
            [
                "service": JSONSchema.serviceName.described("The service to ask."),
                "status": JSONSchema.enumeration(of: ParkedStatus.self).nullable().described(
                    "parked (the default) or replayed."),
                "reason": JSONSchema.enumeration(of: RejectionReason.self).nullable().described(
                    "Only those refused for this reason."),
                "type": JSONSchema.string(minLength: 1, maxLength: 200).nullable().described(
                    "Only those of this type."),
                "limit": JSONSchema.integer(minimum: 1, maximum: ParkedList.maxLimit).nullable().described(
                    "At most this many (default 50, at most 100)."),
                "offset": JSONSchema.integer(minimum: 0).nullable().described("Skip this many (paging)."),
                "all": JSONSchema.boolean.nullable().described("Both statuses."),
            ],
            required: ["service"])
    }

    public static var example: ParkedList { ParkedList(service: "applications", reason: .ruleViolation, limit: 20) }
}
