/// One parked message in full, or `nil` when the service has none with that id.
public struct ParkedShowResult: MessageContract {
    public var service: String
    public var message: ParkedMessage?

    public init(service: String, message: ParkedMessage?) {
        self.service = service
        self.message = message
    }

    public static let name = "parked.show.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "One parked message with its headers and body, or null when there is none with that id."

    public static var schema: JSONSchema {
        .object(
            [
                "service": JSONSchema.serviceName.described("The service that answered."),
                "message": ParkedMessage.schema.nullable().described("The message, or null."),
            ],
            required: ["service"], additionalProperties: true)
    }

    public static var example: ParkedShowResult {
        var message = ParkedMessage.example
        message.headers = [
            ParkedHeader(name: "x-npq-rejection", value: "rule_violation"),
            ParkedHeader(name: "cloudEvents_source", value: "urn:npq:lead-provider:teach-first"),
        ]
        message.body = #"{"applicationID":"6c1f0a2b-3d4e-4f5a-8b6c-7d8e9f0a1b2c"}"#
        message.bodyEncoding = .utf8
        message.bodyTruncated = false
        return ParkedShowResult(service: "applications", message: message)
    }
}
