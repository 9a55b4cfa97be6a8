import Foundation

/// A lead provider accepts an application.
public struct ApplicationAccept: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// In a capped cohort: whether the provider funds the place (required there); false in an unfunded cohort.
    public var fundedPlace: Bool?
    /// The schedule to follow; absent for the default.
    public var schedule: String?

    public init(applicationID: UUID, fundedPlace: Bool? = nil, schedule: String? = nil) {
        self.applicationID = applicationID
        self.fundedPlace = fundedPlace
        self.schedule = schedule
    }

    public static let name = "application.accept"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A lead provider accepts an application. Only the lead provider the application names may send it (checked against the broker-validated user)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "fundedPlace": JSONSchema.boolean.nullable().described(
                    "Whether the place is funded: required in a capped cohort, false in an unfunded one."),
                "schedule": JSONSchema.scheduleIdentifier.nullable().described(
                    "The schedule; absent or null for the default."),
            ],
            required: ["applicationID"])
    }

    public static var example: ApplicationAccept {
        ApplicationAccept(applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, fundedPlace: true)
    }
}
