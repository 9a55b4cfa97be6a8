import Foundation

/// The applications service accepted a submission for processing and gave it an id; the eligibility service
/// decides its funding next.
public struct ApplicationReceived: MessageContract {
    public var applicationID: UUID
    public var applicant: Applicant
    public var course: String
    public var leadProvider: String
    public var cohort: String
    public var workplace: Workplace
    /// The school's establishment type code and whether it is open, from the schools reference data, when the
    /// application names a URN.
    public var establishmentTypeCode: Int?
    public var receivedAt: Date

    public init(
        applicationID: UUID, applicant: Applicant, course: String, leadProvider: String, cohort: String,
        workplace: Workplace, establishmentTypeCode: Int? = nil, receivedAt: Date
    ) {
        self.applicationID = applicationID
        self.applicant = applicant
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.workplace = workplace
        self.establishmentTypeCode = establishmentTypeCode
        self.receivedAt = receivedAt
    }

    public static let name = "application.received"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A submitted application was received and given its id; its funding is decided next (eligibility.assessed), then application.submitted follows."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application's id, assigned by the suite."),
                "applicant": Applicant.schema.openForAdditions().described("Who applied."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "workplace": Workplace.schema.openForAdditions().described("The workplace answers."),
                "establishmentTypeCode": JSONSchema.integer(minimum: 0, maximum: 999).nullable().described(
                    "The school's GIAS establishment type code, when known."),
                "receivedAt": JSONSchema.dateTime.described("When it was received."),
            ],
            required: ["applicationID", "applicant", "course", "leadProvider", "cohort", "workplace", "receivedAt"],
            additionalProperties: true)
    }

    public static var example: ApplicationReceived {
        let submit = ApplicationSubmit.example
        return ApplicationReceived(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, applicant: submit.applicant,
            course: submit.course, leadProvider: submit.leadProvider, cohort: submit.cohort,
            workplace: submit.workplace, establishmentTypeCode: 1,
            receivedAt: RFC3339.parse("2026-07-01T10:00:00+01:00")!)
    }
}
