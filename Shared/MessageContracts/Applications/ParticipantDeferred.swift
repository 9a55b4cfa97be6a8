import Foundation

/// A participant's training was deferred.
public struct ParticipantDeferred: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// The course.
    public var course: String
    /// The lead provider.
    public var leadProvider: String
    /// The cohort.
    public var cohort: String
    /// Why.
    public var reason: DeferralReason
    /// When.
    public var deferredAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, reason: DeferralReason,
        deferredAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.reason = reason
        self.deferredAt = deferredAt
    }

    public static let name = "participant.deferred"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A participant's training was deferred."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "reason": .enumeration(of: DeferralReason.self).described("Why."),
                "deferredAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "reason", "deferredAt"],
            additionalProperties: true)
    }

    public static var example: ParticipantDeferred {
        ParticipantDeferred(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2026b", reason: .parentalLeave,
            deferredAt: RFC3339.parse("2026-09-14T10:00:00+01:00")!)
    }
}
