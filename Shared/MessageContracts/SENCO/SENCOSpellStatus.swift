import Foundation

/// A spell and what the law means for it, as events and replies describe it.
public struct SENCOSpellStatus: Codable, Sendable, Equatable {
    public var spellID: UUID
    public var schoolURN: String
    public var person: SENCOPerson
    /// A, the assumed day with month precision.
    public var appointedOn: CalendarDate
    public var datePrecision: DatePrecision
    public var endedOn: CalendarDate?
    public var inScope: Bool
    public var status: SENCOStatus
    public var deadline: CalendarDate?
    public var alternativeDeadline: CalendarDate?
    public var nasencoDeadline: CalendarDate?
    public var expectedOutcome: CalendarDate?
    public var recommendedCohort: String?
    public var lastSafeCohort: String?
    public var flags: [SENCOFlag]
    public var reason: String
    /// Every status the spell has had, oldest first.
    public var history: [SENCOStatusChange]

    public init(
        spellID: UUID, schoolURN: String, person: SENCOPerson, appointedOn: CalendarDate, datePrecision: DatePrecision,
        endedOn: CalendarDate?, inScope: Bool, status: SENCOStatus, deadline: CalendarDate?,
        alternativeDeadline: CalendarDate?, nasencoDeadline: CalendarDate?, expectedOutcome: CalendarDate?,
        recommendedCohort: String?, lastSafeCohort: String?, flags: [SENCOFlag], reason: String,
        history: [SENCOStatusChange]
    ) {
        self.spellID = spellID
        self.schoolURN = schoolURN
        self.person = person
        self.appointedOn = appointedOn
        self.datePrecision = datePrecision
        self.endedOn = endedOn
        self.inScope = inScope
        self.status = status
        self.deadline = deadline
        self.alternativeDeadline = alternativeDeadline
        self.nasencoDeadline = nasencoDeadline
        self.expectedOutcome = expectedOutcome
        self.recommendedCohort = recommendedCohort
        self.lastSafeCohort = lastSafeCohort
        self.flags = flags
        self.reason = reason
        self.history = history
    }

    public static var schema: JSONSchema {
        let date = JSONSchema.date
        return .object(
            [
                "spellID": JSONSchema.uuid.described("The spell."),
                "schoolURN": JSONSchema.urn.described("The school."),
                "person": SENCOPerson.schema.described("The SENCO."),
                "appointedOn": date.described("The appointment day (the 1st with month precision)."),
                "datePrecision": .enumeration(of: DatePrecision.self).described("How precisely it is known."),
                "endedOn": date.nullable().described("The last day as SENCO, once known."),
                "inScope": JSONSchema.boolean.described("Whether regulation 49(4) applies."),
                "status": .enumeration(of: SENCOStatus.self).described("Where the spell stands."),
                "deadline": date.nullable().described("D, the third anniversary of appointment."),
                "alternativeDeadline": date.nullable().described("The other reading of D for 29 February."),
                "nasencoDeadline": date.nullable().described("When a NASENCO in progress must be completed by."),
                "expectedOutcome": date.nullable().described("When the NPQ's outcome is expected."),
                "recommendedCohort": JSONSchema.cohortIdentifier.nullable().described(
                    "The first cohort still open for registration that gives an outcome by D."),
                "lastSafeCohort": JSONSchema.cohortIdentifier.nullable().described(
                    "The last cohort that leaves a resit's margin before D."),
                "flags": .array(of: .enumeration(of: SENCOFlag.self), maxItems: 20).described("What to know."),
                "reason": .string(minLength: 1, maxLength: 1_000).described("Why, in plain English."),
                "history": .array(of: SENCOStatusChange.schema, maxItems: 1_000).described("Statuses, oldest first."),
            ],
            required: [
                "spellID", "schoolURN", "person", "appointedOn", "datePrecision", "inScope", "status", "flags",
                "reason", "history",
            ],
            additionalProperties: true)
    }
}
