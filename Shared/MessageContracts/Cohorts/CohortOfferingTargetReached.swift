import Foundation

/// An offering's accepted applications reached its recruitment target. Reported, not enforced: the provider
/// decides funded places.
public struct CohortOfferingTargetReached: MessageContract {
    public var cohort: String
    public var course: String
    public var leadProvider: String
    public var recruitmentTarget: Int
    public var acceptedApplications: Int
    /// The acceptance that reached it.
    public var applicationID: UUID
    public var reachedAt: Date

    public init(
        cohort: String, course: String, leadProvider: String, recruitmentTarget: Int, acceptedApplications: Int,
        applicationID: UUID, reachedAt: Date
    ) {
        self.cohort = cohort
        self.course = course
        self.leadProvider = leadProvider
        self.recruitmentTarget = recruitmentTarget
        self.acceptedApplications = acceptedApplications
        self.applicationID = applicationID
        self.reachedAt = reachedAt
    }

    public static let name = "cohort.offering.target-reached"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An offering's accepted applications reached its recruitment target (once per target; reported, not enforced)."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "recruitmentTarget": JSONSchema.integer(minimum: 1).described("The target reached."),
                "acceptedApplications": JSONSchema.integer(minimum: 1).described("Applications accepted so far."),
                "applicationID": JSONSchema.uuid.described("The application whose acceptance reached the target."),
                "reachedAt": JSONSchema.dateTime.described("When it was reached."),
            ],
            required: [
                "cohort", "course", "leadProvider", "recruitmentTarget", "acceptedApplications", "applicationID",
                "reachedAt",
            ],
            additionalProperties: true)
    }

    public static var example: CohortOfferingTargetReached {
        CohortOfferingTargetReached(
            cohort: "2026b", course: "npq-senco", leadProvider: "teach-first", recruitmentTarget: 400,
            acceptedApplications: 400, applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!,
            reachedAt: RFC3339.parse("2026-09-14T10:42:00+01:00")!)
    }
}
