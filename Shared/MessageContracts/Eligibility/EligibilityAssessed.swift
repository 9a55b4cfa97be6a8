import Foundation

/// The eligibility service decided whether an application is funded.
public struct EligibilityAssessed: MessageContract {
    public var applicationID: UUID
    public var cohort: String
    public var course: String
    public var outcome: FundingOutcome
    /// The policy version applied, e.g. `2026`.
    public var policyVersion: String
    public var assessedAt: Date
    /// For an operator's override (`eligibility.override`): the broker user that made it.
    public var overriddenBy: String?
    /// For an operator's override: the reason given.
    public var overrideReason: String?

    public init(
        applicationID: UUID, cohort: String, course: String, outcome: FundingOutcome, policyVersion: String,
        assessedAt: Date, overriddenBy: String? = nil, overrideReason: String? = nil
    ) {
        self.applicationID = applicationID
        self.cohort = cohort
        self.course = course
        self.outcome = outcome
        self.policyVersion = policyVersion
        self.assessedAt = assessedAt
        self.overriddenBy = overriddenBy
        self.overrideReason = overrideReason
    }

    public static let name = "eligibility.assessed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An application's funding was decided: the status code of eligibility.md, funded, review required, and the explanation."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "cohort": JSONSchema.cohortIdentifier.described("Its cohort."),
                "course": JSONSchema.courseIdentifier.described("Its course."),
                "outcome": FundingOutcome.schema.described("The decision."),
                "policyVersion": .string(minLength: 1, maxLength: 64).described("The policy version applied."),
                "assessedAt": JSONSchema.dateTime.described(
                    "When it was decided; a consumer keeps the latest decision by this time."),
                "overriddenBy": JSONSchema.string(minLength: 1, maxLength: 255).nullable().described(
                    "For an operator's override: the broker user that made it."),
                "overrideReason": JSONSchema.string(minLength: 1, maxLength: 500).nullable().described(
                    "For an operator's override: the reason given."),
            ],
            required: ["applicationID", "cohort", "course", "outcome", "policyVersion", "assessedAt"],
            additionalProperties: true)
    }

    public static var example: EligibilityAssessed {
        EligibilityAssessed(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, cohort: "2026b",
            course: "npq-senco", outcome: .example, policyVersion: "2026",
            assessedAt: RFC3339.parse("2026-07-01T10:00:01+01:00")!)
    }
}
