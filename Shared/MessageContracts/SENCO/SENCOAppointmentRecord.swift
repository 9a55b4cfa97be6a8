import Foundation

/// A school records who its SENCO is, from when, and what they have already done.
public struct SENCOAppointmentRecord: MessageContract {
    public var schoolURN: String
    public var schoolType: SchoolType
    public var person: SENCOPerson
    /// `YYYY-MM-DD`, or `YYYY-MM` when only the month is known (the 1st is assumed).
    public var appointedOn: String
    /// `month` when only the month is known; implied by a `YYYY-MM` date.
    public var datePrecision: DatePrecision?
    /// SENCO service at this or other relevant schools before this appointment.
    public var priorService: [SENCOServicePeriod]?
    /// Qualifications held or in progress: NASENCO, the NPQ for SENCOs.
    public var qualifications: [SENCOQualification]?

    public init(
        schoolURN: String, schoolType: SchoolType, person: SENCOPerson, appointedOn: String,
        datePrecision: DatePrecision? = nil, priorService: [SENCOServicePeriod]? = nil,
        qualifications: [SENCOQualification]? = nil
    ) {
        self.schoolURN = schoolURN
        self.schoolType = schoolType
        self.person = person
        self.appointedOn = appointedOn
        self.datePrecision = datePrecision
        self.priorService = priorService
        self.qualifications = qualifications
    }

    public static let name = "senco.appointment.record"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Records a school's SENCO appointment (or corrects it): the person, the appointment day or month, earlier SENCO service and qualifications; the service answers with the deadline and status."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school's URN."),
                "schoolType": .enumeration(of: SchoolType.self).described(
                    "mainstream and maintained_nursery are in scope; special, independent and pru are not."),
                "person": SENCOPerson.schema.described("The SENCO."),
                "appointedOn": .string(
                    pattern: "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$",
                    patternDescription: "YYYY-MM-DD, or YYYY-MM when only the month is known"
                ).described("The day (or month) the person became SENCO at this school."),
                "datePrecision": JSONSchema.enumeration(of: DatePrecision.self).nullable().described(
                    "month when only the month is known."),
                "priorService": JSONSchema.array(of: SENCOServicePeriod.schema, maxItems: 50).nullable().described(
                    "Earlier SENCO service at relevant schools."),
                "qualifications": JSONSchema.array(of: SENCOQualification.schema, maxItems: 20).nullable().described(
                    "Qualifications held or in progress."),
            ],
            required: ["schoolURN", "schoolType", "person", "appointedOn"])
    }

    public static var example: SENCOAppointmentRecord {
        SENCOAppointmentRecord(
            schoolURN: "100000", schoolType: .mainstream,
            person: SENCOPerson(name: "Alex Morgan", trn: "1234567", email: "alex.morgan@example.sch.uk"),
            appointedOn: "2025-09-01",
            priorService: [SENCOServicePeriod(from: CalendarDate("2023-01-09")!, to: CalendarDate("2023-08-31")!)])
    }
}
