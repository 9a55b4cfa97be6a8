import Foundation

/// A lead provider's offering of a course in a cohort, as events and replies describe it.
public struct OfferingDetails: Codable, Sendable, Equatable {
    public var cohort: String
    public var course: String
    public var leadProvider: String
    /// The places the provider's contract targets; `nil` for no target.
    public var recruitmentTarget: Int?
    /// `false` once the provider has stopped offering it.
    public var offered: Bool
    /// Applications accepted onto it so far.
    public var acceptedApplications: Int

    public init(
        cohort: String, course: String, leadProvider: String, recruitmentTarget: Int?, offered: Bool,
        acceptedApplications: Int
    ) {
        self.cohort = cohort
        self.course = course
        self.leadProvider = leadProvider
        self.recruitmentTarget = recruitmentTarget
        self.offered = offered
        self.acceptedApplications = acceptedApplications
    }

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "course": JSONSchema.courseIdentifier.described("The course offered."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider offering it."),
                "recruitmentTarget": JSONSchema.integer(minimum: 1).nullable().described(
                    "The places the provider's contract targets; null for none."),
                "offered": JSONSchema.boolean.described("False once the provider has stopped offering it."),
                "acceptedApplications": JSONSchema.integer(minimum: 0).described("Applications accepted so far."),
            ],
            required: ["cohort", "course", "leadProvider", "offered", "acceptedApplications"],
            additionalProperties: true)
    }

    static var example: OfferingDetails {
        OfferingDetails(
            cohort: "2026b", course: "npq-senco", leadProvider: "teach-first", recruitmentTarget: 400, offered: true,
            acceptedApplications: 0)
    }
}
