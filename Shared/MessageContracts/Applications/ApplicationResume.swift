import Foundation

/// A lead provider resumes a deferred or withdrawn participant's training.
public struct ApplicationResume: MessageContract {
    /// The application.
    public var applicationID: UUID

    public init(applicationID: UUID) {
        self.applicationID = applicationID
    }

    public static let name = "application.resume"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A lead provider resumes a deferred or withdrawn participant's training. Only the lead provider the application names may send it (checked against the broker-validated user)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application.")
            ],
            required: ["applicationID"])
    }

    public static var example: ApplicationResume {
        ApplicationResume(applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!)
    }
}
