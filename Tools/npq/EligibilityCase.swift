import EligibilityDomain
import Foundation
import MessageContracts

/// One input line of `npq eligibility assess`: an application's answers as a JSON object, with the caller's id.
///
/// The fields are those of ``fields``; any other is refused, so that a misspelt answer cannot silently change a
/// decision. Optional fields may be absent or `null`. Whether an answer is needed depends on the rules it reaches,
/// which ``EligibilityRules`` checks.
struct EligibilityCase: Equatable {
    var id: String
    var cohort: String
    var course: String
    var worksIn: WorkCountry
    var workSetting: WorkSetting
    /// The institution as the line gives it; its type and status may still come from the schools register.
    var institution: EligibilityInstitution?
    var kindOfNursery: KindOfNursery?
    var employmentType: EmploymentType?
    var ittProviderApproved: Bool?
    var referredByReturnToTeachingAdviser: Bool?
    var headteacherStatus: HeadteacherStatus?
    var previouslyFunded: Bool

    /// The fields of a line, in the order the help lists them.
    static let fields = [
        "id", "cohort", "course", "worksInEngland", "workSetting", "institution", "kindOfNursery", "employmentType",
        "ittProviderApproved", "referredByReturnToTeachingAdviser", "headteacherStatus", "previouslyFunded",
    ]
    static let institutionFields = ["urn", "ukprn", "ofstedUrn", "establishmentTypeCode"]

    /// Reads one line.
    ///
    /// - Throws: a ``CaseError`` (the tool's error for one input line) naming the field that is wrong, with the
    ///   id when the line has one.
    static func parse(_ line: String) throws(CaseError) -> EligibilityCase {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Data(line.utf8))
        } catch {
            let message = error.message.replacingOccurrences(of: "at line 1, column ", with: "at column ")
                .replacingOccurrences(of: "The body", with: "the line").replacingOccurrences(
                    of: "the body", with: "the line")
            throw CaseError(field: nil, message)
        }
        guard case .object(let members) = document else {
            throw CaseError(field: nil, "the line must be a JSON object, not \(document.kindDescription)")
        }
        do {
            return try read(CaseObject(document, path: "", allowed: fields, what: "an application"))
        } catch var error {
            error.id = members["id"]?.stringValue
            throw error
        }
    }

    private static func read(_ object: CaseObject) throws(CaseError) -> EligibilityCase {
        EligibilityCase(
            id: try object.requiredString("id"),
            cohort: try object.requiredString("cohort"),
            course: try object.requiredString("course"),
            worksIn: try object.required("worksInEngland", try worksIn(object)),
            workSetting: try object.required("workSetting", try object.enumeration("workSetting", WorkSetting.self)),
            institution: try institution(object),
            kindOfNursery: try object.enumeration("kindOfNursery", KindOfNursery.self),
            employmentType: try object.enumeration("employmentType", EmploymentType.self),
            ittProviderApproved: try object.bool("ittProviderApproved"),
            referredByReturnToTeachingAdviser: try object.bool("referredByReturnToTeachingAdviser"),
            headteacherStatus: try object.enumeration("headteacherStatus", HeadteacherStatus.self),
            previouslyFunded: try object.bool("previouslyFunded") ?? false)
    }

    /// `worksInEngland`: true (England), false (another country), or the country as a string.
    private static func worksIn(_ object: CaseObject) throws(CaseError) -> WorkCountry? {
        switch object.value("worksInEngland") {
        case nil: return nil
        case .bool(let england): return england ? .england : .anotherCountry
        case .string: return try object.enumeration("worksInEngland", WorkCountry.self)
        case let other?:
            throw CaseError(
                field: "worksInEngland", "must be true, false or a country (a string), not \(other.kindDescription)")
        }
    }

    private static func institution(_ object: CaseObject) throws(CaseError) -> EligibilityInstitution? {
        guard let answer = try object.object("institution", allowed: institutionFields, what: "an institution") else {
            return nil
        }
        func identifier(_ key: String, _ format: IdentifierFormat) throws(CaseError) -> String? {
            guard let text = try answer.string(key) else { return nil }
            guard let valid = format.normalise(text) else {
                throw CaseError(field: answer.field(key), "\"\(text)\" is not valid: \(format.rule)")
            }
            return valid
        }
        var institution = EligibilityInstitution(
            urn: try identifier("urn", .urn), ukprn: try identifier("ukprn", .ukprn),
            ofstedURN: try identifier("ofstedUrn", .ofstedURN))
        switch answer.value("establishmentTypeCode") {
        case nil: break
        case .string(let text) where Int(text).map({ $0 > 0 }) == true: institution.establishmentTypeCode = Int(text)
        case let value? where value.intValue.map({ $0 > 0 }) == true: institution.establishmentTypeCode = value.intValue
        case let value?:
            throw CaseError(
                field: answer.field("establishmentTypeCode"),
                "\(value.jsonString()) is not a GIAS establishment type code (a whole number, e.g. 15)")
        }
        return institution
    }
}
