import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts

/// The names notices use instead of identifiers: courses ("Headship (NPQH)"), lead providers ("Teach First"),
/// cohorts ("the cohort starting in November 2026") and schools, read at start from the reference files.
struct ReferenceNames: Sendable {
    var courses: [String: String]
    var providers: [String: String]
    var cohortStarts: [String: CalendarDate]
    var schools: SchoolRegister

    static func load(cohortsDirectory: String, schoolsFile: String) throws -> ReferenceNames {
        let reference = try CohortReferenceData.load(
            directory: cohortsDirectory,
            hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files")
        guard let schools = FileManager.default.contents(atPath: schoolsFile) else {
            throw EligibilityError(.schoolsRegister, file: schoolsFile, "cannot be read; set NPQ_SCHOOLS_FILE")
        }
        return ReferenceNames(
            courses: Dictionary(
                reference.courses.map { ($0.identifier, displayName($0.name, code: $0.shortCode)) },
                uniquingKeysWith: { a, _ in a }),
            providers: Dictionary(
                reference.leadProviders.map { ($0.identifier, $0.name) }, uniquingKeysWith: { a, _ in a }),
            cohortStarts: Dictionary(
                reference.cohorts.map { ($0.identifier, $0.startDate) }, uniquingKeysWith: { a, _ in a }),
            schools: try SchoolRegister.parse(schools, file: schoolsFile))
    }

    func course(_ identifier: String) -> String { courses[identifier] ?? identifier }

    /// "Headship (NPQH)"; a name with its own bracketed abbreviation loses it: "Special educational needs
    /// co-ordinators (NPQSENCO)".
    static func displayName(_ name: String, code: String) -> String {
        var base = name
        if base.hasSuffix(")"), let open = base.lastIndex(of: "(") {
            base = base[..<open].trimmingCharacters(in: .whitespaces)
        }
        return "\(base) (\(code))"
    }

    func provider(_ identifier: String) -> String { providers[identifier] ?? identifier }

    /// "the cohort starting in November 2026", or the identifier for a cohort the files do not have.
    func cohort(_ identifier: String) -> String {
        guard let start = cohortStarts[identifier] else { return "cohort \(identifier)" }
        return "the cohort starting in \(Self.monthNames[start.month - 1]) \(start.year)"
    }

    func school(_ urn: String) -> String { schools.school(urn: urn)?.name ?? "your school" }

    /// A day as notices write it: "9 October 2026".
    static func day(_ date: CalendarDate) -> String { "\(date.day) \(monthNames[date.month - 1]) \(date.year)" }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}
