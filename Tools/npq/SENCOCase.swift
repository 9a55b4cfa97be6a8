import Foundation
import MessageContracts
import SENCODomain

/// One input line of `npq senco evaluate`: a JSON object describing one SENCO spell, with the caller's id for it.
///
/// The fields are `id`, `schoolType`, `appointedOn`, `datePrecision`, `endedOn`, `priorSpells`, `qualifications`,
/// `enrolment` and `lowEngagement`; any other field is refused, so that a misspelt optional field cannot silently
/// change a result. Optional fields may be absent or `null`.
struct SENCOCase: Equatable {
    var id: String
    var spell: SENCOSpell

    /// Reads one line.
    ///
    /// - Throws: a ``CaseError`` naming the field that is wrong (and carrying the id when it could be read).
    static func parse(_ line: String) throws(CaseError) -> SENCOCase {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Data(line.utf8))
        } catch {
            throw CaseError(field: nil, Self.lineMessage(error.message))
        }
        guard case .object(let members) = document else {
            throw CaseError(field: nil, "the line must be a JSON object, not \(document.kindDescription)")
        }
        let id = members["id"]?.stringValue
        do {
            return try read(CaseObject(document, path: "", allowed: Self.fields, what: "a case"))
        } catch var error {
            error.id = id
            throw error
        }
    }

    /// The fields of a case, in the order the help lists them.
    static let fields = [
        "id", "schoolType", "appointedOn", "datePrecision", "endedOn", "priorSpells", "qualifications", "enrolment",
        "lowEngagement",
    ]

    private static func read(_ object: CaseObject) throws(CaseError) -> SENCOCase {
        let id = try object.requiredString("id")
        let schoolType = try object.required("schoolType", try object.enumeration("schoolType", SchoolType.self))
        let precision = try object.enumeration("datePrecision", DatePrecision.self) ?? .day
        let appointed = try object.required(
            "appointedOn", try object.date("appointedOn", allowingMonth: precision == .month))
        var spell = SENCOSpell(schoolType: schoolType, appointedOn: appointed, datePrecision: precision)
        if let ended = try object.date("endedOn") {
            guard ended >= spell.appointmentDay else {
                throw CaseError(
                    field: "endedOn", "\(ended) is before the appointment (\(spell.appointmentDay))")
            }
            spell.endedOn = ended
        }
        spell.priorService = try object.objects(
            "priorSpells", allowed: ["from", "to"], what: "a prior spell"
        ) { (period: CaseObject) throws(CaseError) -> ServicePeriod in
            let from = try period.required("from", try period.date("from"))
            let to = try period.required("to", try period.date("to"))
            guard from <= to else {
                throw CaseError(
                    field: period.field("to"), "\(to) is before from (\(from)); to is the last day served")
            }
            return ServicePeriod(from: from, to: to)
        }
        spell.qualifications = try object.objects(
            "qualifications", allowed: ["award", "startedOn", "completedOn", "outcome", "outcomeOn"],
            what: "a qualification"
        ) { (record: CaseObject) throws(CaseError) -> QualificationRecord in
            QualificationRecord(
                award: try record.requiredString("award"), startedOn: try record.date("startedOn"),
                completedOn: try record.date("completedOn"),
                outcome: try record.enumeration("outcome", AssessmentOutcome.self),
                outcomeOn: try record.date("outcomeOn"))
        }
        if let enrolment = try object.object(
            "enrolment", allowed: ["cohort", "courseStart", "expectedOutcome", "accepted"], what: "an enrolment")
        {
            spell.enrolment = Enrolment(
                cohort: try enrolment.requiredString("cohort"),
                courseStart: try enrolment.required("courseStart", try enrolment.date("courseStart")),
                expectedOutcome: try enrolment.date("expectedOutcome"),
                accepted: try enrolment.bool("accepted") ?? true)
        }
        spell.lowEngagement = try object.bool("lowEngagement") ?? false
        return SENCOCase(id: id, spell: spell)
    }

    /// The JSON parser's message, worded for one line of input.
    private static func lineMessage(_ message: String) -> String {
        message.replacingOccurrences(of: "at line 1, column ", with: "at column ")
            .replacingOccurrences(of: "The body", with: "the line").replacingOccurrences(
                of: "the body", with: "the line")
    }
}
