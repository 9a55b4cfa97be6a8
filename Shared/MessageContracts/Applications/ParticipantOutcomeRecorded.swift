import Foundation

/// A lead provider recorded a participant's assessment outcome. Published by the applications service.
public struct ParticipantOutcomeRecorded: MessageContract {
    public var applicationID: UUID
    public var course: String
    public var leadProvider: String
    /// `passed` or `failed`.
    public var outcome: String
    /// The day the outcome was given.
    public var completedOn: CalendarDate
    public var trn: String?
    public var recordedAt: Date

    public init(
        applicationID: UUID, course: String, leadProvider: String, outcome: String, completedOn: CalendarDate,
        trn: String? = nil, recordedAt: Date
    ) {
        self.applicationID = applicationID
        self.course = course
        self.leadProvider = leadProvider
        self.outcome = outcome
        self.completedOn = completedOn
        self.trn = trn
        self.recordedAt = recordedAt
    }

    public static let name = "participant.outcome.recorded"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A lead provider recorded a participant's assessment outcome (passed or failed)."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.described("The lead provider."),
                "outcome": JSONSchema.enumeration(["passed", "failed"]).described("The outcome."),
                "completedOn": JSONSchema.date.described("The day the outcome was given."),
                "trn": JSONSchema.trn.nullable().described("The participant's TRN, when known."),
                "recordedAt": JSONSchema.dateTime.described("When it was recorded."),
            ],
            required: ["applicationID", "course", "leadProvider", "outcome", "completedOn", "recordedAt"],
            additionalProperties: true)
    }

    public static var example: ParticipantOutcomeRecorded {
        ParticipantOutcomeRecorded(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, course: "npq-senco",
            leadProvider: "teach-first", outcome: "passed", completedOn: CalendarDate("2027-09-10")!, trn: "1234567",
            recordedAt: RFC3339.parse("2027-09-12T14:00:00+01:00")!)
    }
}
