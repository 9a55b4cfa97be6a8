import Foundation

/// What a ``ParkedPurge`` did: the parked messages deleted for good.
public struct ParkedPurged: MessageContract {
    public var service: String
    /// How many messages were deleted.
    public var purged: Int
    /// Their ids (the first 1,000).
    public var messageIDs: [String]
    /// Ids given that the service has no parked message for.
    public var notFound: [String]
    /// The operator (broker user) who deleted them.
    public var purgedBy: String
    public var purgedAt: Date

    public init(
        service: String, purged: Int, messageIDs: [String], notFound: [String], purgedBy: String, purgedAt: Date
    ) {
        self.service = service
        self.purged = purged
        self.messageIDs = messageIDs
        self.notFound = notFound
        self.purgedBy = purgedBy
        self.purgedAt = purgedAt
    }

    public static let name = "parked.purged"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "Parked messages were deleted for good by an operator: how many, their ids, and the ids that were not found."

    public static var schema: JSONSchema {
        let ids = JSONSchema.array(of: .messageID, maxItems: 1_000)
        return .object(
            [
                "service": JSONSchema.serviceName.described("The service."),
                "purged": JSONSchema.integer(minimum: 0).described("How many were deleted."),
                "messageIDs": ids.described("Their ids (the first 1,000)."),
                "notFound": ids.described("Ids with no parked message."),
                "purgedBy": JSONSchema.string(minLength: 1, maxLength: 255).described("The operator."),
                "purgedAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["service", "purged", "messageIDs", "notFound", "purgedBy", "purgedAt"],
            additionalProperties: true)
    }

    public static var example: ParkedPurged {
        ParkedPurged(
            service: "applications", purged: 1, messageIDs: ["3f0c6d4e-8b1a-4c2d-9e7f-5a6b7c8d9e0f"], notFound: [],
            purgedBy: "npq-operator", purgedAt: RFC3339.parse("2026-11-20T10:05:00Z")!)
    }
}
