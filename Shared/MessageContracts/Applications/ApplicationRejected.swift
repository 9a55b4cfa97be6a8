import Foundation

/// An application was rejected: by its lead provider, because the same person's other application for the course and cohort was accepted, or because its registration expired.
public struct ApplicationRejected: MessageContract {
    /// The application.
    public var applicationID: UUID
    /// The course.
    public var course: String
    /// The lead provider.
    public var leadProvider: String
    /// The cohort.
    public var cohort: String
    /// Why: rejected_by_provider, other_application_in_this_cohort_accepted or registration_expired.
    public var cause: RejectionCause
    /// The provider's words, when given.
    public var reason: String?
    /// When.
    public var rejectedAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, cause: RejectionCause,
        reason: String? = nil, rejectedAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.cause = cause
        self.reason = reason
        self.rejectedAt = rejectedAt
    }

    public static let name = "application.rejected"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An application was rejected: by its lead provider, because the same person's other application for the course and cohort was accepted, or because its registration expired."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "cause": .enumeration(of: RejectionCause.self).described("Why."),
                "reason": JSONSchema.string(maxLength: 500).nullable().described("The provider's words."),
                "rejectedAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "cause", "rejectedAt"],
            additionalProperties: true)
    }

    public static var example: ApplicationRejected {
        ApplicationRejected(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2026b", cause: .otherApplicationInThisCohortAccepted,
            rejectedAt: RFC3339.parse("2026-09-14T10:00:00+01:00")!)
    }
}
