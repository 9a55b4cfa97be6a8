/// An operator asks one service for one parked message in full: headers and body.
public struct ParkedShow: MessageContract {
    /// The largest body ``ParkedShowResult`` carries; a longer one is cut (`bodyTruncated`). With the headers' limits
    /// it keeps the reply under the 1 MiB a reader accepts, however the body's characters are escaped.
    public static let maxBodyBytes = 131_072
    /// At most this many headers, each value cut to ``maxHeaderValue`` characters.
    public static let maxHeaders = 100
    public static let maxHeaderValue = 4_096

    public var service: String
    public var messageID: String

    public init(service: String, messageID: String) {
        self.service = service
        self.messageID = messageID
    }

    public static let name = "parked.show"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "An operator asks one service for one parked message in full: its rejection, headers and body (up to 128 KiB). Answered with parked.show.result."

    public static var schema: JSONSchema {
        .object(
            [
                "service": JSONSchema.serviceName.described("The service to ask."),
                "messageID": JSONSchema.messageID.described("The parked message's id."),
            ],
            required: ["service", "messageID"])
    }

    public static var example: ParkedShow {
        ParkedShow(service: "applications", messageID: "3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f")
    }
}
