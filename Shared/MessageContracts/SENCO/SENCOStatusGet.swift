import Foundation

/// Asks for a school's SENCO spells with their status, deadline, cohorts, flags and history.
public struct SENCOStatusGet: MessageContract {
    public var schoolURN: String
    /// The day to evaluate on (Europe/London); absent means today.
    public var on: CalendarDate?

    public init(schoolURN: String, on: CalendarDate? = nil) {
        self.schoolURN = schoolURN
        self.on = on
    }

    public static let name = "senco.status.get"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Asks for a school's SENCO spells, each with status, deadline, recommended and last safe cohort, flags and history."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school."),
                "on": JSONSchema.date.nullable().described("The day to evaluate on; absent means today."),
            ], required: ["schoolURN"])
    }

    public static var example: SENCOStatusGet { SENCOStatusGet(schoolURN: "100000") }
}
