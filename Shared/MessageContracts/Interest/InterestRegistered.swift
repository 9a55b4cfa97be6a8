import Foundation

/// An expression of interest was recorded (or had been already).
public struct InterestRegistered: MessageContract {
    public var interestID: UUID
    public var course: String
    public var leadProvider: String?
    /// The same email had registered interest in the course before: nothing new was recorded.
    public var alreadyRegistered: Bool
    /// Cohorts open for registration now that offer the course: the person can apply straight away.
    public var openCohorts: [String]
    public var registeredAt: Date

    public init(
        interestID: UUID, course: String, leadProvider: String?, alreadyRegistered: Bool, openCohorts: [String],
        registeredAt: Date
    ) {
        self.interestID = interestID
        self.course = course
        self.leadProvider = leadProvider
        self.alreadyRegistered = alreadyRegistered
        self.openCohorts = openCohorts
        self.registeredAt = registeredAt
    }

    public static let name = "interest.registered"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "An expression of interest was recorded, or had been already for the same email and course; names the cohorts open for the course now, if any. Carries no personal data."

    public static var schema: JSONSchema {
        .object(
            [
                "interestID": JSONSchema.uuid.described("The expression of interest."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.nullable().described("The lead provider in mind."),
                "alreadyRegistered": JSONSchema.boolean.described("Whether it had been registered before."),
                "openCohorts": .array(of: JSONSchema.cohortIdentifier, maxItems: 100).described(
                    "Cohorts open for registration now that offer the course."),
                "registeredAt": JSONSchema.dateTime.described("When it was first registered."),
            ],
            required: ["interestID", "course", "alreadyRegistered", "openCohorts", "registeredAt"],
            additionalProperties: true)
    }

    public static var example: InterestRegistered {
        InterestRegistered(
            interestID: UUID(uuidString: "0d6f4a3b-2c1e-4f5a-8b7c-9d0e1f2a3b4c")!, course: "npq-senco",
            leadProvider: nil, alreadyRegistered: false, openCohorts: [],
            registeredAt: RFC3339.parse("2026-03-02T18:20:00Z")!)
    }
}
