import Foundation

/// The facts a reminder tells.
public struct SENCOReminderFacts: Codable, Sendable, Equatable {
    public var personName: String
    public var status: SENCOStatus
    public var deadline: CalendarDate?
    public var alternativeDeadline: CalendarDate?
    public var nasencoDeadline: CalendarDate?
    public var expectedOutcome: CalendarDate?
    public var recommendedCohort: String?
    public var lastSafeCohort: String?
    /// The cohort the reminder is about (registration opened or closing, last safe cohort closed).
    public var cohort: String?
    public var registrationCloses: CalendarDate?

    public init(
        personName: String, status: SENCOStatus, deadline: CalendarDate?, alternativeDeadline: CalendarDate? = nil,
        nasencoDeadline: CalendarDate? = nil, expectedOutcome: CalendarDate? = nil, recommendedCohort: String? = nil,
        lastSafeCohort: String? = nil, cohort: String? = nil, registrationCloses: CalendarDate? = nil
    ) {
        self.personName = personName
        self.status = status
        self.deadline = deadline
        self.alternativeDeadline = alternativeDeadline
        self.nasencoDeadline = nasencoDeadline
        self.expectedOutcome = expectedOutcome
        self.recommendedCohort = recommendedCohort
        self.lastSafeCohort = lastSafeCohort
        self.cohort = cohort
        self.registrationCloses = registrationCloses
    }

    public static var schema: JSONSchema {
        let date = JSONSchema.date.nullable()
        let cohort = JSONSchema.cohortIdentifier.nullable()
        return .object(
            [
                "personName": .string(minLength: 1, maxLength: 200).described("The SENCO's name."),
                "status": .enumeration(of: SENCOStatus.self).described("The spell's status."),
                "deadline": date.described("D."),
                "alternativeDeadline": date.described("The other reading of D for 29 February."),
                "nasencoDeadline": date.described("When a NASENCO in progress must be completed by."),
                "expectedOutcome": date.described("When the NPQ's outcome is expected."),
                "recommendedCohort": cohort.described("The cohort to register for."),
                "lastSafeCohort": cohort.described("The last cohort with a resit's margin."),
                "cohort": cohort.described("The cohort the reminder is about."),
                "registrationCloses": date.described("When that cohort's registration closes."),
            ],
            required: ["personName", "status"], additionalProperties: true)
    }
}
