import Foundation

/// Says whether a lead provider offers a course in a cohort, and with what recruitment target (operators only).
public struct CohortOfferingSet: MessageContract {
    public var cohort: String
    public var course: String
    public var leadProvider: String
    /// The places the provider's contract targets; `nil` for none. Reported when reached, never enforced.
    public var recruitmentTarget: Int?
    /// `false` withdraws the offering (its accepted applications stay); absent means `true`.
    public var offered: Bool?

    public init(
        cohort: String, course: String, leadProvider: String, recruitmentTarget: Int? = nil, offered: Bool? = nil
    ) {
        self.cohort = cohort
        self.course = course
        self.leadProvider = leadProvider
        self.recruitmentTarget = recruitmentTarget
        self.offered = offered
    }

    public static let name = "cohort.offering.set"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Sets a lead provider's offering of a course in a cohort, with an optional recruitment target; offered: false withdraws it."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.described("The cohort, which must be defined."),
                "course": JSONSchema.courseIdentifier.described("The course, which must exist and not be hidden."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "recruitmentTarget": JSONSchema.integer(minimum: 1, maximum: 1_000_000).nullable().described(
                    "The places the provider's contract targets; null or absent for none."),
                "offered": JSONSchema.boolean.nullable().described(
                    "False withdraws the offering; absent or true offers it."),
            ],
            required: ["cohort", "course", "leadProvider"])
    }

    public static var example: CohortOfferingSet {
        CohortOfferingSet(cohort: "2026b", course: "npq-senco", leadProvider: "teach-first", recruitmentTarget: 400)
    }
}
