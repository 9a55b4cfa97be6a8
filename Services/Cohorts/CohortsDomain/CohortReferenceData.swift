import Foundation
import MessageContracts

/// The cohort reference data an operator edits: courses, lead providers, cohorts, schedules and offerings, one JSON
/// file each.
///
/// Each file is an object with an optional `about` text and one array named after the file. Cohorts, schedules and
/// offerings are written exactly as the bodies of `cohort.define`, `schedule.define` and `cohort.offering.set`, and
/// are checked by the same schemas and rules, so an entry that loads from a file would be accepted as a command and
/// the other way round.
public struct CohortReferenceData: Sendable, Equatable {
    public var courses: [Course]
    public var leadProviders: [LeadProvider]
    public var cohorts: [Cohort]
    public var schedules: [Schedule]
    public var offerings: [Offering]

    public init(
        courses: [Course] = [], leadProviders: [LeadProvider] = [], cohorts: [Cohort] = [], schedules: [Schedule] = [],
        offerings: [Offering] = []
    ) {
        self.courses = courses
        self.leadProviders = leadProviders
        self.cohorts = cohorts
        self.schedules = schedules
        self.offerings = offerings
    }

    /// The files, by name, that make up the reference data.
    public enum File: String, CaseIterable, Sendable {
        case courses = "courses.json"
        case leadProviders = "lead-providers.json"
        case cohorts = "cohorts.json"
        case schedules = "schedules.json"
        case offerings = "offerings.json"

        /// The array in the file that holds the entries.
        var arrayKey: String {
            switch self {
            case .courses: "courses"
            case .leadProviders: "leadProviders"
            case .cohorts: "cohorts"
            case .schedules: "schedules"
            case .offerings: "offerings"
            }
        }
    }

    /// Parses the files' contents and checks every entry and every cross-reference.
    ///
    /// - Throws: a ``ReferenceDataError`` listing every problem found, each naming its file, entry and field.
    public static func parse(_ files: [File: Data]) throws(ReferenceDataError) -> CohortReferenceData {
        var problems: [ReferenceProblem] = []
        var data = CohortReferenceData()
        data.courses = entries(files, .courses, schema: Course.referenceSchema, problems: &problems) {
            try ContractDecoder.makeJSONDecoder().decode(Course.self, from: $0)
        }
        data.leadProviders = entries(files, .leadProviders, schema: LeadProvider.referenceSchema, problems: &problems) {
            try ContractDecoder.makeJSONDecoder().decode(LeadProvider.self, from: $0)
        }
        data.cohorts = entries(files, .cohorts, schema: CohortDefine.schema, problems: &problems) {
            Cohort(try ContractDecoder.makeJSONDecoder().decode(CohortDefine.self, from: $0))
        }
        data.schedules = entries(files, .schedules, schema: ScheduleDefine.schema, problems: &problems) {
            Schedule(try ContractDecoder.makeJSONDecoder().decode(ScheduleDefine.self, from: $0))
        }
        data.offerings = entries(files, .offerings, schema: CohortOfferingSet.schema, problems: &problems) {
            Offering(try ContractDecoder.makeJSONDecoder().decode(CohortOfferingSet.self, from: $0))
        }
        if problems.isEmpty { problems = data.problems() }
        guard problems.isEmpty else { throw ReferenceDataError(problems) }
        return data
    }

    /// Every rule the data as a whole breaks: duplicates, unknown references, and each entry's own rules.
    public func problems() -> [ReferenceProblem] {
        var problems: [ReferenceProblem] = []
        func duplicates<Key: Hashable>(_ file: File, _ keys: [Key], describe: (Key) -> String) {
            var seen: Set<Key> = []
            for (index, key) in keys.enumerated() where !seen.insert(key).inserted {
                problems.append(
                    ReferenceProblem(
                        file: file.rawValue, entry: "entry \(index + 1) (\(describe(key)))",
                        "\(describe(key)) is listed more than once"))
            }
        }
        duplicates(.courses, courses.map(\.identifier)) { $0 }
        duplicates(.leadProviders, leadProviders.map(\.identifier)) { $0 }
        duplicates(.cohorts, cohorts.map(\.identifier)) { $0 }
        duplicates(.schedules, schedules.map { "\($0.cohort) \($0.identifier)" }) { $0 }
        duplicates(.offerings, offerings.map { "\($0.cohort) \($0.course) \($0.leadProvider)" }) { $0 }

        let courseIDs = Set(courses.map(\.identifier))
        for (index, course) in courses.enumerated() {
            if let same = course.sameCourseAs, !courseIDs.contains(same) || same == course.identifier {
                problems.append(
                    ReferenceProblem(
                        file: File.courses.rawValue, entry: "entry \(index + 1) (\(course.identifier))",
                        field: "sameCourseAs", "sameCourseAs names \(same), which is not another course in the file"))
            }
        }
        let cohortsByID = Dictionary(cohorts.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        let coursesByID = Dictionary(courses.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        let providersByID = Dictionary(
            leadProviders.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        func add(_ file: File, _ index: Int, _ key: String, _ violations: [RuleViolation]) {
            problems += violations.map {
                ReferenceProblem(file: file.rawValue, entry: "entry \(index + 1) (\(key))", field: $0.field, $0.message)
            }
        }
        for (index, cohort) in cohorts.enumerated() {
            add(.cohorts, index, cohort.identifier, CohortRules.check(cohort, replacing: nil, acceptedApplications: 0))
        }
        for (index, schedule) in schedules.enumerated() {
            add(
                .schedules, index, "\(schedule.cohort) \(schedule.identifier)",
                CohortRules.check(schedule, cohort: cohortsByID[schedule.cohort]))
        }
        for (index, offering) in offerings.enumerated() {
            add(
                .offerings, index, "\(offering.cohort) \(offering.course) \(offering.leadProvider)",
                CohortRules.check(
                    offering, cohort: cohortsByID[offering.cohort], course: coursesByID[offering.course],
                    leadProvider: providersByID[offering.leadProvider]))
        }
        return problems
    }

    /// The entries of one file, each checked against `schema` and decoded; problems are collected, not thrown.
    private static func entries<T>(
        _ files: [File: Data], _ file: File, schema: JSONSchema, problems: inout [ReferenceProblem],
        decode: (Data) throws -> T
    ) -> [T] {
        guard let contents = files[file] else {
            problems.append(ReferenceProblem(file: file.rawValue, "the file is missing"))
            return []
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: contents, limits: JSONParsingLimits(maxBytes: 16 << 20))
        } catch {
            problems.append(ReferenceProblem(file: file.rawValue, "not valid JSON: \(error.message)"))
            return []
        }
        guard case .object(let top) = document, case .array(let items)? = top[file.arrayKey] else {
            problems.append(
                ReferenceProblem(
                    file: file.rawValue,
                    "the file must be a JSON object with an array \"\(file.arrayKey)\" (and optionally \"about\")"))
            return []
        }
        for key in top.keys where key != file.arrayKey && key != "about" {
            problems.append(
                ReferenceProblem(
                    file: file.rawValue, field: key, "unknown key; only \"about\" and \"\(file.arrayKey)\" are allowed")
            )
        }
        var values: [T] = []
        for (index, item) in items.enumerated() {
            let entry = "entry \(index + 1)" + (entryKey(item).map { " (\($0))" } ?? "")
            let errors = schema.validate(item)
            guard errors.isEmpty else {
                problems += errors.map {
                    ReferenceProblem(file: file.rawValue, entry: entry, field: $0.field, $0.message)
                }
                continue
            }
            do {
                values.append(try decode(item.jsonData()))
            } catch {
                problems.append(ReferenceProblem(file: file.rawValue, entry: entry, "\(error)"))
            }
        }
        return values
    }

    /// A readable key of an entry for error messages: its identifier or cohort and schedule.
    private static func entryKey(_ item: JSONValue) -> String? {
        let parts = ["identifier", "cohort", "schedule", "course", "leadProvider"].compactMap { item[$0]?.stringValue }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
