import Foundation

/// A registration front end submits a teacher's application for an NPQ.
public struct ApplicationSubmit: MessageContract {
    public var applicant: Applicant
    public var course: String
    public var leadProvider: String
    public var cohort: String
    public var workplace: Workplace
    /// For `npq-senco`: `yes`, `no_but_i_plan_to_become_one` or `no_i_do_not_plan_to_be_a_SENCO`.
    public var sencoInRole: String?
    /// For `npq-senco` when in role: the month they became SENCO, `YYYY-MM`.
    public var sencoStartDate: String?
    /// Who pays when the place is not funded.
    public var fundingChoice: FundingChoice?

    public init(
        applicant: Applicant, course: String, leadProvider: String, cohort: String, workplace: Workplace,
        sencoInRole: String? = nil, sencoStartDate: String? = nil, fundingChoice: FundingChoice? = nil
    ) {
        self.applicant = applicant
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.workplace = workplace
        self.sencoInRole = sencoInRole
        self.sencoStartDate = sencoStartDate
        self.fundingChoice = fundingChoice
    }

    public static let name = "application.submit"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Submits a teacher's application for a course with a lead provider in a cohort open for registration, with the workplace answers that decide funding."

    /// The answers to "are you the SENCO?".
    public static let sencoInRoleAnswers = ["yes", "no_but_i_plan_to_become_one", "no_i_do_not_plan_to_be_a_SENCO"]

    public static var schema: JSONSchema {
        .object(
            [
                "applicant": Applicant.schema.described("Who applies."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort, open for registration."),
                "workplace": Workplace.schema.described("Where the applicant works."),
                "sencoInRole": JSONSchema.enumeration(sencoInRoleAnswers).nullable().described(
                    "For npq-senco: whether the applicant is the SENCO (required for npq-senco)."),
                "sencoStartDate": JSONSchema.string(pattern: "^[0-9]{4}-[0-9]{2}$", patternDescription: "YYYY-MM")
                    .nullable().described("For npq-senco in role: the month they became SENCO."),
                "fundingChoice": JSONSchema.enumeration(of: FundingChoice.self).nullable().described(
                    "Who pays when the place is not funded."),
            ],
            required: ["applicant", "course", "leadProvider", "cohort", "workplace"])
    }

    public static var example: ApplicationSubmit {
        ApplicationSubmit(
            applicant: Applicant(fullName: "Alex Morgan", email: "alex.morgan@example.sch.uk", trn: "1234567"),
            course: "npq-senco", leadProvider: "teach-first", cohort: "2026b", workplace: .example,
            sencoInRole: "yes", sencoStartDate: "2025-09")
    }
}
