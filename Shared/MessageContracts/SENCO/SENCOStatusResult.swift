import Foundation

/// The reply to ``SENCOStatusGet``.
public struct SENCOStatusResult: MessageContract {
    public var schoolURN: String
    public var on: CalendarDate
    /// Latest appointment first.
    public var spells: [SENCOSpellStatus]

    public init(schoolURN: String, on: CalendarDate, spells: [SENCOSpellStatus]) {
        self.schoolURN = schoolURN
        self.on = on
        self.spells = spells
    }

    public static let name = "senco.status.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "A school's SENCO spells as evaluated on a day, latest appointment first."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school."),
                "on": JSONSchema.date.described("The day evaluated on."),
                "spells": .array(of: SENCOSpellStatus.schema, maxItems: 1_000).described("Latest appointment first."),
            ], required: ["schoolURN", "on", "spells"], additionalProperties: true)
    }

    public static var example: SENCOStatusResult {
        SENCOStatusResult(schoolURN: "100000", on: CalendarDate("2025-09-15")!, spells: [.example])
    }
}
