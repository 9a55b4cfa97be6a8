import Foundation

/// A lead provider rejects an application (from pending, or from accepted before any paid declaration).
public struct ApplicationReject: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// Why, for the history.
    public var reason: String?

    public init(applicationID: UUID, reason: String? = nil) {
        self.applicationID = applicationID
        self.reason = reason
    }

    public static let name = "application.reject"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A lead provider rejects an application (from pending, or from accepted before any paid declaration). Only the lead provider the application names may send it (checked against the broker-validated user)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "reason": JSONSchema.string(maxLength: 500).nullable().described("Why, for the history."),
            ],
            required: ["applicationID"])
    }

    public static var example: ApplicationReject {
        ApplicationReject(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!,
            reason: "Not eligible for this programme")
    }
}
