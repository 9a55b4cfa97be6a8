import CohortsDomain
import Foundation
import MessageContracts

/// The names notices use instead of identifiers: courses ("Headship (NPQH)"), lead providers ("Teach First"),
/// and cohorts ("the cohort starting in November 2026"), read at start from the reference files. Schools' names come
/// from the copy of the schools register (``SchoolRegisterCopy``).
struct ReferenceNames: Sendable {
    var courses: [String: String]
    var providers: [String: String]
    var cohortStarts: [String: CalendarDate]

    static func load(cohortsDirectory: String) throws -> ReferenceNames {
        let reference = try CohortReferenceData.load(
            directory: cohortsDirectory,
            hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files")
        return ReferenceNames(
            courses: Dictionary(
                reference.courses.map { ($0.identifier, displayName($0.name, code: $0.shortCode)) },
                uniquingKeysWith: { a, _ in a }),
            providers: Dictionary(
                reference.leadProviders.map { ($0.identifier, $0.name) }, uniquingKeysWith: { a, _ in a }),
            cohortStarts: Dictionary(
                reference.cohorts.map { ($0.identifier, $0.startDate) }, uniquingKeysWith: { a, _ in a }))
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

    /// A day as notices write it: "9 October 2026".
    static func day(_ date: CalendarDate) -> String { "\(date.day) \(monthNames[date.month - 1]) \(date.year)" }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}
