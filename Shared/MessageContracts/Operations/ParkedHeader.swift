/// One AMQP header of a parked message, as text.
public struct ParkedHeader: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static var schema: JSONSchema {
        .object(
            [
                "name": JSONSchema.string(minLength: 1, maxLength: 255).described("The header's name."),
                "value": JSONSchema.string(maxLength: ParkedShow.maxHeaderValue).described(
                    "Its value as text (cut to 4,096 characters)."),
            ],
            required: ["name", "value"], additionalProperties: true)
    }
}
