import Foundation

/// A participant withdrew from training.
public struct ParticipantWithdrawn: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// The course.
    public var course: String
    /// The lead provider.
    public var leadProvider: String
    /// The cohort.
    public var cohort: String
    /// Why.
    public var reason: WithdrawalReason
    /// When.
    public var withdrawnAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, reason: WithdrawalReason,
        withdrawnAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.reason = reason
        self.withdrawnAt = withdrawnAt
    }

    public static let name = "participant.withdrawn"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A participant withdrew from training."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "reason": .enumeration(of: WithdrawalReason.self).described("Why."),
                "withdrawnAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "reason", "withdrawnAt"],
            additionalProperties: true)
    }

    public static var example: ParticipantWithdrawn {
        ParticipantWithdrawn(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2026b", reason: .changeInCareer,
            withdrawnAt: RFC3339.parse("2026-09-14T10:00:00+01:00")!)
    }
}
