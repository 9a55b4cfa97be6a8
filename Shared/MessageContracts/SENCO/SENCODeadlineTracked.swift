import Foundation

/// A SENCO appointment was recorded (or corrected): its deadline and status.
public struct SENCODeadlineTracked: MessageContract {
    public var spell: SENCOSpellStatus
    public var trackedAt: Date

    public init(spell: SENCOSpellStatus, trackedAt: Date) {
        self.spell = spell
        self.trackedAt = trackedAt
    }

    public static let name = "senco.deadline.tracked"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A SENCO appointment was recorded or corrected; the spell's deadline, status, recommended and last safe cohort."

    public static var schema: JSONSchema {
        .object(
            [
                "spell": SENCOSpellStatus.schema.described("The spell as now evaluated."),
                "trackedAt": JSONSchema.dateTime.described("When it was recorded."),
            ], required: ["spell", "trackedAt"], additionalProperties: true)
    }

    public static var example: SENCODeadlineTracked {
        SENCODeadlineTracked(spell: .example, trackedAt: RFC3339.parse("2025-09-15T09:30:00+01:00")!)
    }
}
