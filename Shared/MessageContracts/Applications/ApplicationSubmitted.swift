import Foundation

/// An application was submitted and assessed for funding. Published by the applications service.
///
/// This is the part the other services rely on; the applications service adds the funding outcome's details.
public struct ApplicationSubmitted: MessageContract {
    public var applicationID: UUID
    public var course: String
    public var leadProvider: String
    public var cohort: String
    public var applicant: Applicant
    /// The URN of the applicant's school, when they work at one.
    public var schoolURN: String?
    /// For `npq-senco`: `yes`, `no_but_i_plan_to_become_one` or `no_i_do_not_plan_to_be_a_SENCO`.
    public var sencoInRole: String?
    /// For `npq-senco` when in role: the month they became SENCO, `YYYY-MM`.
    public var sencoStartDate: String?
    public var submittedAt: Date
    /// The funding decision (from `eligibility.assessed`).
    public var funding: FundingOutcome?
    /// Who pays when the place is not funded, as the applicant said.
    public var fundingChoice: FundingChoice?

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, applicant: Applicant,
        schoolURN: String? = nil, sencoInRole: String? = nil, sencoStartDate: String? = nil, submittedAt: Date,
        funding: FundingOutcome? = nil, fundingChoice: FundingChoice? = nil
    ) {
        self.funding = funding
        self.fundingChoice = fundingChoice
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.applicant = applicant
        self.schoolURN = schoolURN
        self.sencoInRole = sencoInRole
        self.sencoStartDate = sencoStartDate
        self.submittedAt = submittedAt
    }

    public static let name = "application.submitted"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "An application was submitted and assessed for funding."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "applicant": Applicant.schema.openForAdditions().described("Who applied."),
                "schoolURN": JSONSchema.urn.nullable().described("The applicant's school."),
                "sencoInRole": JSONSchema.enumeration([
                    "yes", "no_but_i_plan_to_become_one", "no_i_do_not_plan_to_be_a_SENCO",
                ])
                .nullable().described("For npq-senco: whether the applicant is the SENCO."),
                "sencoStartDate": JSONSchema.string(pattern: "^[0-9]{4}-[0-9]{2}$", patternDescription: "YYYY-MM")
                    .nullable().described("For npq-senco in role: the month they became SENCO."),
                "submittedAt": JSONSchema.dateTime.described("When it was submitted."),
                "funding": FundingOutcome.schema.nullable().described("The funding decision and its explanation."),
                "fundingChoice": JSONSchema.enumeration(of: FundingChoice.self).nullable().described(
                    "Who pays when the place is not funded."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "applicant", "submittedAt"],
            additionalProperties: true)
    }

    public static var example: ApplicationSubmitted {
        ApplicationSubmitted(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2025a",
            applicant: Applicant(fullName: "Alex Morgan", email: "alex.morgan@example.sch.uk", trn: "1234567"),
            schoolURN: "100000", sencoInRole: "yes", sencoStartDate: "2025-09",
            submittedAt: RFC3339.parse("2025-09-20T19:02:11+01:00")!, funding: .example)
    }
}
