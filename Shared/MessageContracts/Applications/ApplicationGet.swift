import Foundation

/// Asks for one application: a lead provider sees only its own; operators see any.
public struct ApplicationGet: MessageContract {
    public var applicationID: UUID

    public init(applicationID: UUID) { self.applicationID = applicationID }

    public static let name = "application.get"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Asks for one application with its funding decision, state and history; a lead provider sees only the applications that name it."

    public static var schema: JSONSchema {
        .object(["applicationID": JSONSchema.uuid.described("The application.")], required: ["applicationID"])
    }

    public static var example: ApplicationGet {
        ApplicationGet(applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!)
    }
}
