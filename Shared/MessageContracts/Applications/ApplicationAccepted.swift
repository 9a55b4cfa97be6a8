import Foundation

/// A lead provider accepted an application.
///
/// Published by the applications service. The cohorts service assigns the schedule from it; the eligibility,
/// SENCO and notifications services learn of the acceptance. No name or email travels in it: the services that
/// need them learn them from the application events that carry them.
public struct ApplicationAccepted: MessageContract {
    public var applicationID: UUID
    public var course: String
    public var leadProvider: String
    public var cohort: String
    /// The schedule the provider named; `nil` lets the cohorts service choose the default.
    public var schedule: String?
    /// In a capped cohort, whether the provider funds the place; `nil` in cohorts where it does not decide.
    public var fundedPlace: Bool?
    /// The participant's teacher reference number, when known.
    public var trn: String?
    public var acceptedAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, schedule: String? = nil,
        fundedPlace: Bool? = nil, trn: String? = nil, acceptedAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.schedule = schedule
        self.fundedPlace = fundedPlace
        self.trn = trn
        self.acceptedAt = acceptedAt
    }

    public static let name = "application.accepted"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A lead provider accepted an application onto a course in a cohort, optionally naming the schedule."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider that accepted it."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "schedule": JSONSchema.scheduleIdentifier.nullable().described(
                    "The schedule the provider named; null or absent for the default."),
                "fundedPlace": JSONSchema.boolean.nullable().described(
                    "Whether the provider funds the place (capped cohorts)."),
                "trn": JSONSchema.trn.nullable().described("The participant's teacher reference number, when known."),
                "acceptedAt": JSONSchema.dateTime.described("When it was accepted."),
            ],
            required: ["applicationID", "course", "leadProvider", "cohort", "acceptedAt"], additionalProperties: true)
    }

    public static var example: ApplicationAccepted {
        ApplicationAccepted(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", cohort: "2024a", fundedPlace: true, trn: "1234567",
            acceptedAt: RFC3339.parse("2024-09-02T10:15:00+01:00")!)
    }
}
