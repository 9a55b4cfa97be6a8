import Foundation

/// A participant's training resumed.
public struct ParticipantResumed: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// The course.
    public var course: String
    /// The lead provider.
    public var leadProvider: String
    /// The cohort.
    public var cohort: String
    /// When.
    public var resumedAt: Date

    public init(applicationID: UUID, course: String, leadProvider: String, cohort: String, resumedAt: Date) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.resumedAt = resumedAt
    }

    public static let name = "participant.resumed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A participant's training resumed."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "resumedAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "resumedAt"], additionalProperties: true)
    }

    public static var example: ParticipantResumed {
        ParticipantResumed(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2026b", resumedAt: RFC3339.parse("2026-09-14T10:00:00+01:00")!)
    }
}
