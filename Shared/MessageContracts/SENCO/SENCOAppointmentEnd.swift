import Foundation

/// A school records that its SENCO stopped being SENCO.
public struct SENCOAppointmentEnd: MessageContract {
    public var person: SENCOPersonReference
    /// The last day as SENCO.
    public var endedOn: CalendarDate

    public init(person: SENCOPersonReference, endedOn: CalendarDate) {
        self.person = person
        self.endedOn = endedOn
    }

    public static let name = "senco.appointment.end"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Records the last day a person was SENCO at a school; leaving on or before the deadline closes the spell without a breach."

    public static var schema: JSONSchema {
        .object(
            [
                "person": SENCOPersonReference.schema.described("The school and the person's TRN or email."),
                "endedOn": JSONSchema.date.described("The last day as SENCO."),
            ], required: ["person", "endedOn"])
    }

    public static var example: SENCOAppointmentEnd {
        SENCOAppointmentEnd(
            person: SENCOPersonReference(schoolURN: "100000", trn: "1234567"), endedOn: CalendarDate("2027-07-31")!)
    }
}
