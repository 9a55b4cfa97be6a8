/// The messages a service set aside, as ``ParkedList`` asked, newest first.
public struct ParkedListResult: MessageContract {
    public var service: String
    /// How many match, in all (``messages`` is one page of them).
    public var total: Int
    public var messages: [ParkedMessage]

    public init(service: String, total: Int, messages: [ParkedMessage]) {
        self.service = service
        self.total = total
        self.messages = messages
    }

    public static let name = "parked.list.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary =
        "The messages one service set aside, newest first: id, type, reason and detail, publisher, when, and how often parked and replayed (no bodies; parked.show gives one)."

    public static var schema: JSONSchema {
        .object(
            [
                "service": JSONSchema.serviceName.described("The service that answered."),
                "total": JSONSchema.integer(minimum: 0).described("How many match in all."),
                "messages": .array(of: ParkedMessage.schema, maxItems: ParkedList.maxLimit).described(
                    "This page of them."),
            ],
            required: ["service", "total", "messages"], additionalProperties: true)
    }

    public static var example: ParkedListResult {
        ParkedListResult(service: "applications", total: 1, messages: [.example])
    }
}
