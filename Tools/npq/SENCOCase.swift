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
    /// - Throws: a ``SENCOCaseError`` naming the field that is wrong (and carrying the id when it could be read).
    static func parse(_ line: String) throws(SENCOCaseError) -> SENCOCase {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Data(line.utf8))
        } catch {
            throw SENCOCaseError(field: nil, Self.lineMessage(error.message))
        }
        guard case .object(let members) = document else {
            throw SENCOCaseError(field: nil, "the line must be a JSON object, not \(document.kindDescription)")
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

    private static func read(_ object: CaseObject) throws(SENCOCaseError) -> SENCOCase {
        let id = try object.requiredString("id")
        let schoolType = try object.required("schoolType", try object.enumeration("schoolType", SchoolType.self))
        let precision = try object.enumeration("datePrecision", DatePrecision.self) ?? .day
        let appointed = try object.required(
            "appointedOn", try object.date("appointedOn", allowingMonth: precision == .month))
        var spell = SENCOSpell(schoolType: schoolType, appointedOn: appointed, datePrecision: precision)
        if let ended = try object.date("endedOn") {
            guard ended >= spell.appointmentDay else {
                throw SENCOCaseError(
                    field: "endedOn", "\(ended) is before the appointment (\(spell.appointmentDay))")
            }
            spell.endedOn = ended
        }
        spell.priorService = try object.objects(
            "priorSpells", allowed: ["from", "to"], what: "a prior spell"
        ) { (period: CaseObject) throws(SENCOCaseError) -> ServicePeriod in
            let from = try period.required("from", try period.date("from"))
            let to = try period.required("to", try period.date("to"))
            guard from <= to else {
                throw SENCOCaseError(
                    field: period.field("to"), "\(to) is before from (\(from)); to is the last day served")
            }
            return ServicePeriod(from: from, to: to)
        }
        spell.qualifications = try object.objects(
            "qualifications", allowed: ["award", "startedOn", "completedOn", "outcome", "outcomeOn"],
            what: "a qualification"
        ) { (record: CaseObject) throws(SENCOCaseError) -> QualificationRecord in
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

/// Why one input line cannot be evaluated: the field (a path such as `priorSpells[1].to`, or `nil` for the line as a
/// whole), what is wrong with it, and the case's id when the line has one.
struct SENCOCaseError: Error, Equatable {
    var id: String?
    var field: String?
    var message: String

    init(id: String? = nil, field: String?, _ message: String) {
        self.id = id
        self.field = field
        self.message = message
    }

    /// `line N: field: what is wrong`.
    func description(line: Int) -> String {
        ["line \(line)", field, message].compactMap { $0 }.joined(separator: ": ")
    }
}

/// One JSON object of a case, read member by member; every problem names the member's full path.
private struct CaseObject {
    let members: [String: JSONValue]
    /// The object's own path: empty at the top level, else e.g. `enrolment` or `priorSpells[0]`.
    let path: String

    /// Checks that `value` is an object with no members outside `allowed`; `what` names it in messages.
    init(_ value: JSONValue, path: String, allowed: [String], what: String) throws(SENCOCaseError) {
        guard case .object(let members) = value else {
            throw SENCOCaseError(field: path, "must be an object, not \(value.kindDescription)")
        }
        self.members = members
        self.path = path
        if let unknown = members.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw SENCOCaseError(
                field: field(unknown),
                "not a field of \(what); use \(allowed.dropLast().joined(separator: ", ")) or \(allowed.last!)")
        }
    }

    /// The full path of the member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, `nil` when absent or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// `value`, or a "missing" problem for `key`.
    func required<T>(_ key: String, _ value: T?) throws(SENCOCaseError) -> T {
        guard let value else { throw SENCOCaseError(field: field(key), "missing") }
        return value
    }

    func string(_ key: String) throws(SENCOCaseError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw SENCOCaseError(field: field(key), "must be a string, not \(value.kindDescription)")
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SENCOCaseError(field: field(key), "must not be empty")
        }
        return text
    }

    func requiredString(_ key: String) throws(SENCOCaseError) -> String {
        try required(key, try string(key))
    }

    func bool(_ key: String) throws(SENCOCaseError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw SENCOCaseError(field: field(key), "must be true or false, not \(value.kindDescription)")
        }
        return flag
    }

    /// A `YYYY-MM-DD` date; with `allowingMonth`, `YYYY-MM` too, read as the month's 1st.
    func date(_ key: String, allowingMonth: Bool = false) throws(SENCOCaseError) -> CalendarDate? {
        guard let text = try string(key) else { return nil }
        if let date = CalendarDate(text) { return date }
        if text.utf8.count == 7, let month = CalendarDate(text + "-01") {
            guard allowingMonth else {
                throw SENCOCaseError(
                    field: field(key),
                    "\"\(text)\" gives only the month: write the day (YYYY-MM-DD), or set datePrecision to \"month\"")
            }
            return month
        }
        throw SENCOCaseError(
            field: field(key),
            "\"\(text)\" is not a real date written YYYY-MM-DD\(allowingMonth ? " or YYYY-MM" : "")")
    }

    /// One of the raw values of `E`.
    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(SENCOCaseError) -> E?
    where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = E(rawValue: text) else {
            throw SENCOCaseError(
                field: field(key),
                "\"\(text)\" is not allowed; use one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func object(_ key: String, allowed: [String], what: String) throws(SENCOCaseError) -> CaseObject? {
        guard let value = value(key) else { return nil }
        return try CaseObject(value, path: field(key), allowed: allowed, what: what)
    }

    /// A list of objects, each read by `read`.
    func objects<T>(
        _ key: String, allowed: [String], what: String, _ read: (CaseObject) throws(SENCOCaseError) -> T
    ) throws(SENCOCaseError) -> [T] {
        guard let value = value(key) else { return [] }
        guard case .array(let elements) = value else {
            throw SENCOCaseError(field: field(key), "must be a list, not \(value.kindDescription)")
        }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            result.append(try read(CaseObject(element, path: "\(field(key))[\(index)]", allowed: allowed, what: what)))
        }
        return result
    }
}
