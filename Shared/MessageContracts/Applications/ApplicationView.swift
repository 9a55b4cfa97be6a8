import Foundation

/// An application as queries show it: what was submitted, the funding decision, both state machines and the
/// history.
public struct ApplicationView: Codable, Sendable, Equatable {
    public var applicationID: UUID
    public var course: String
    public var leadProvider: String
    public var cohort: String
    public var applicant: Applicant
    public var workplace: Workplace
    public var funding: FundingOutcome?
    /// `pending`, `accepted` or `rejected`.
    public var approval: String
    /// `active`, `deferred` or `withdrawn`; absent while pending.
    public var training: String?
    public var schedule: String?
    public var fundedPlace: Bool?
    public var outcome: ApplicationOutcome?
    public var outcomeOn: CalendarDate?
    public var history: [HistoryEntry]
    public var updatedAt: Date

    /// One change: what, by whom, when and why.
    public struct HistoryEntry: Codable, Sendable, Equatable {
        public var action: String
        public var by: String
        public var at: Date
        public var reason: String?

        public init(action: String, by: String, at: Date, reason: String? = nil) {
            self.action = action
            self.by = by
            self.at = at
            self.reason = reason
        }
    }

    public init(
        applicationID: UUID, course: String, leadProvider: String, cohort: String, applicant: Applicant,
        workplace: Workplace, funding: FundingOutcome?, approval: String, training: String?, schedule: String?,
        fundedPlace: Bool?, outcome: ApplicationOutcome?, outcomeOn: CalendarDate?, history: [HistoryEntry],
        updatedAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.cohort = cohort
        self.applicant = applicant
        self.workplace = workplace
        self.funding = funding
        self.approval = approval
        self.training = training
        self.schedule = schedule
        self.fundedPlace = fundedPlace
        self.outcome = outcome
        self.outcomeOn = outcomeOn
        self.history = history
        self.updatedAt = updatedAt
    }

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort."),
                "applicant": Applicant.schema.openForAdditions().described("Who applied."),
                "workplace": Workplace.schema.openForAdditions().described("The workplace answers."),
                "funding": FundingOutcome.schema.nullable().described("The funding decision, once made."),
                "approval": .enumeration(["pending", "accepted", "rejected"]).described("The provider's decision."),
                "training": JSONSchema.enumeration(["active", "deferred", "withdrawn"]).nullable().described(
                    "Training status, once accepted."),
                "schedule": JSONSchema.scheduleIdentifier.nullable().described("The schedule named at acceptance."),
                "fundedPlace": JSONSchema.boolean.nullable().described("Whether the place is funded."),
                "outcome": JSONSchema.enumeration(of: ApplicationOutcome.self).nullable().described("The outcome."),
                "outcomeOn": JSONSchema.date.nullable().described("When the outcome was given."),
                "history": .array(
                    of: .object(
                        [
                            "action": .string(minLength: 1, maxLength: 64).described("What changed."),
                            "by": .string(minLength: 1, maxLength: 128).described("Who changed it."),
                            "at": JSONSchema.dateTime.described("When."),
                            "reason": JSONSchema.string(maxLength: 500).nullable().described("Why."),
                        ], required: ["action", "by", "at"], additionalProperties: true),
                    maxItems: 1_000
                ).described("Every change, oldest first."),
                "updatedAt": JSONSchema.dateTime.described("The last change."),
            ],
            required: [
                "applicationID", "course", "leadProvider", "cohort", "applicant", "workplace", "approval", "history",
                "updatedAt",
            ],
            additionalProperties: true)
    }

    static var example: ApplicationView {
        let submit = ApplicationSubmit.example
        return ApplicationView(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: submit.course,
            leadProvider: submit.leadProvider, cohort: submit.cohort, applicant: submit.applicant,
            workplace: submit.workplace, funding: .example, approval: "accepted", training: "active",
            schedule: nil, fundedPlace: true, outcome: nil, outcomeOn: nil,
            history: [
                HistoryEntry(
                    action: "submitted", by: "npq-registration", at: RFC3339.parse("2026-07-01T10:00:00+01:00")!),
                HistoryEntry(
                    action: "accepted", by: "npq-lp-teach-first", at: RFC3339.parse("2026-07-08T09:12:00+01:00")!),
            ], updatedAt: RFC3339.parse("2026-07-08T09:12:00+01:00")!)
    }
}
