import Foundation

/// An application's funding decision changed after it was submitted (an operator's override by policy).
public struct ApplicationFundingChanged: MessageContract {
    public var applicationID: UUID
    public var course: String
    public var leadProvider: String
    public var cohort: String
    /// Who to tell. Personal data: services never log it.
    public var applicant: Applicant
    /// The decision before.
    public var previous: FundingOutcome
    /// The decision now.
    public var funding: FundingOutcome
    /// The broker user that changed it, for an override.
    public var changedBy: String?
    /// The reason given, for an override.
    public var reason: String?
    public var changedAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, applicant: Applicant,
        previous: FundingOutcome, funding: FundingOutcome, changedBy: String?, reason: String?, changedAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.applicant = applicant
        self.previous = previous
        self.funding = funding
        self.changedBy = changedBy
        self.reason = reason
        self.changedAt = changedAt
    }

    public static let name = "application.funding.changed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An application's funding decision changed after submission (an operator's override by policy): the decision before and after, so the applicant can be told."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "applicant": Applicant.schema.described("The applicant."),
                "previous": FundingOutcome.schema.described("The decision before."),
                "funding": FundingOutcome.schema.described("The decision now."),
                "changedBy": JSONSchema.string(minLength: 1, maxLength: 255).nullable().described(
                    "The broker user that overrode it."),
                "reason": JSONSchema.string(minLength: 1, maxLength: 500).nullable().described("The reason given."),
                "changedAt": JSONSchema.dateTime.described("When."),
            ],
            required: [
                "applicationID", "course", "leadProvider", "cohort", "applicant", "previous", "funding", "changedAt",
            ],
            additionalProperties: true)
    }

    public static var example: ApplicationFundingChanged {
        ApplicationFundingChanged(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-leading-teaching",
            leadProvider: "teach-first", cohort: "2026b",
            applicant: Applicant(fullName: "Amina Patel", email: "amina.patel@example.org", trn: "1234567"),
            previous: FundingOutcome(
                status: .ineligibleEstablishmentNotAPP50, funded: false, reviewRequired: false,
                explanation: "Your school is not on the PP50 list, so this course is not funded for you."),
            funding: FundingOutcome(
                status: .markedFundedByPolicy, funded: true, reviewRequired: false,
                explanation: "Your funding was confirmed by DfE's policy team: school added to PP50 after publication"),
            changedBy: "npq-operator", reason: "school added to PP50 after publication",
            changedAt: RFC3339.parse("2026-09-03T11:00:00+01:00")!)
    }
}
