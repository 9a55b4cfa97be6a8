import Foundation

/// A SENCO spell's status changed.
public struct SENCOStatusChanged: MessageContract {
    public var spellID: UUID
    public var schoolURN: String
    public var change: SENCOStatusChange
    public var deadline: CalendarDate?
    public var changedAt: Date

    public init(spellID: UUID, schoolURN: String, change: SENCOStatusChange, deadline: CalendarDate?, changedAt: Date) {
        self.spellID = spellID
        self.schoolURN = schoolURN
        self.change = change
        self.deadline = deadline
        self.changedAt = changedAt
    }

    public static let name = "senco.status.changed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A SENCO spell's status changed; the change is kept in the spell's history."

    public static var schema: JSONSchema {
        .object(
            [
                "spellID": JSONSchema.uuid.described("The spell."),
                "schoolURN": JSONSchema.urn.described("The school."),
                "change": SENCOStatusChange.schema.described("From, to, on which day and why."),
                "deadline": JSONSchema.date.nullable().described("The spell's deadline, when in scope."),
                "changedAt": JSONSchema.dateTime.described("When the change was recorded."),
            ], required: ["spellID", "schoolURN", "change", "changedAt"], additionalProperties: true)
    }

    public static var example: SENCOStatusChanged {
        SENCOStatusChanged(
            spellID: UUID(uuidString: "8d3c1f4e-2b7a-4e51-9c0d-6a1f2e3b4c5d")!, schoolURN: "100000",
            change: SENCOStatusChange(
                from: .notEnrolled, to: .enrolled, on: CalendarDate("2025-10-02")!,
                reason:
                    "Enrolled in cohort 2025a; the outcome is expected on 2027-09-17, before the deadline 2028-09-01.",
                cause: "npq.application.accepted.v1"),
            deadline: CalendarDate("2028-09-01")!, changedAt: RFC3339.parse("2025-10-02T11:00:00+01:00")!)
    }
}
