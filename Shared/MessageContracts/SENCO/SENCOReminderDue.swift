import Foundation

/// A reminder of the SENCO duty is due to a school's contacts. Sent once: its id is derived from the spell and the
/// reminder, and the service records it with the event.
public struct SENCOReminderDue: MessageContract {
    public var reminderID: UUID
    public var spellID: UUID
    public var schoolURN: String
    public var kind: SENCOReminderKind
    /// The roles at the school to tell.
    public var recipients: [ContactRole]
    public var dueOn: CalendarDate
    public var facts: SENCOReminderFacts
    public var issuedAt: Date

    public init(
        reminderID: UUID, spellID: UUID, schoolURN: String, kind: SENCOReminderKind, recipients: [ContactRole],
        dueOn: CalendarDate, facts: SENCOReminderFacts, issuedAt: Date
    ) {
        self.reminderID = reminderID
        self.spellID = spellID
        self.schoolURN = schoolURN
        self.kind = kind
        self.recipients = recipients
        self.dueOn = dueOn
        self.facts = facts
        self.issuedAt = issuedAt
    }

    public static let name = "senco.reminder.due"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A reminder of the SENCO qualification duty is due to the named roles at a school, with the facts to tell them."

    public static var schema: JSONSchema {
        .object(
            [
                "reminderID": JSONSchema.uuid.described("Unique per spell and reminder."),
                "spellID": JSONSchema.uuid.described("The spell."),
                "schoolURN": JSONSchema.urn.described("The school whose contacts are told."),
                "kind": .enumeration(of: SENCOReminderKind.self).described("Which reminder."),
                "recipients": .array(of: .enumeration(of: ContactRole.self), minItems: 1, maxItems: 5).described(
                    "The roles to tell."),
                "dueOn": JSONSchema.date.described("The day it fell due."),
                "facts": SENCOReminderFacts.schema.described("What to tell them."),
                "issuedAt": JSONSchema.dateTime.described("When it was issued."),
            ],
            required: ["reminderID", "spellID", "schoolURN", "kind", "recipients", "dueOn", "facts", "issuedAt"],
            additionalProperties: true)
    }

    public static var example: SENCOReminderDue {
        SENCOReminderDue(
            reminderID: UUID(uuidString: "0e6b1f9a-7c2d-4b3e-8f10-5a6c7d8e9f01")!,
            spellID: UUID(uuidString: "8d3c1f4e-2b7a-4e51-9c0d-6a1f2e3b4c5d")!, schoolURN: "100000",
            kind: .registrationClosing, recipients: [.senco, .head], dueOn: CalendarDate("2026-09-25")!,
            facts: SENCOReminderFacts(
                personName: "Alex Morgan", status: .notEnrolled, deadline: CalendarDate("2028-09-01")!,
                recommendedCohort: "2026b", lastSafeCohort: "2025a", cohort: "2026b",
                registrationCloses: CalendarDate("2026-10-09")!),
            issuedAt: RFC3339.parse("2026-09-25T06:00:00+01:00")!)
    }
}
