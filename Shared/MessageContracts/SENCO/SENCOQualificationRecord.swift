import Foundation

/// A school records a SENCO qualification its SENCO holds or has started.
public struct SENCOQualificationRecord: MessageContract {
    public var person: SENCOPersonReference
    public var qualification: SENCOQualification

    public init(person: SENCOPersonReference, qualification: SENCOQualification) {
        self.person = person
        self.qualification = qualification
    }

    public static let name = "senco.qualification.record"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Records a qualification a school's SENCO holds or has started (NASENCO, the NPQ for SENCOs, or another award)."

    public static var schema: JSONSchema {
        .object(
            [
                "person": SENCOPersonReference.schema.described("The school and the person's TRN or email."),
                "qualification": SENCOQualification.schema.described("The qualification."),
            ], required: ["person", "qualification"])
    }

    public static var example: SENCOQualificationRecord {
        SENCOQualificationRecord(
            person: SENCOPersonReference(schoolURN: "100000", trn: "1234567"),
            qualification: SENCOQualification(
                award: "nasenco", startedOn: CalendarDate("2024-01-15")!, completedOn: CalendarDate("2025-07-18")!))
    }
}
