import Foundation

/// One spell in a ``SENCOOverviewResult`` list.
public struct SENCOSpellSummary: Codable, Sendable, Equatable {
    public var spellID: UUID
    public var schoolURN: String
    public var status: SENCOStatus
    public var deadline: CalendarDate?
    public var recommendedCohort: String?

    public init(
        spellID: UUID, schoolURN: String, status: SENCOStatus, deadline: CalendarDate?, recommendedCohort: String?
    ) {
        self.spellID = spellID
        self.schoolURN = schoolURN
        self.status = status
        self.deadline = deadline
        self.recommendedCohort = recommendedCohort
    }

    public static var schema: JSONSchema {
        .object(
            [
                "spellID": JSONSchema.uuid.described("The spell."),
                "schoolURN": JSONSchema.urn.described("The school."),
                "status": .enumeration(of: SENCOStatus.self).described("Its status."),
                "deadline": JSONSchema.date.nullable().described("D."),
                "recommendedCohort": JSONSchema.cohortIdentifier.nullable().described("The cohort to register for."),
            ], required: ["spellID", "schoolURN", "status"], additionalProperties: true)
    }
}
