/// A problem with the cohort reference files: which file, which entry, which field, and what to change.
public struct ReferenceProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name, e.g. `cohorts.json`.
    public var file: String
    /// The entry's position (from 1) and key, e.g. `entry 3 (2024a)`; `nil` for a problem with the whole file.
    public var entry: String?
    public var field: String?
    public var message: String

    public init(file: String, entry: String? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.entry = entry
        self.field = field
        self.message = message
    }

    public var description: String {
        [file, entry, field].compactMap { $0 }.joined(separator: ", ") + ": " + message
    }
}

/// Every problem found in the reference files; the service refuses to start until they are fixed.
public struct ReferenceDataError: Error, Sendable, CustomStringConvertible {
    public var problems: [ReferenceProblem]

    public init(_ problems: [ReferenceProblem]) { self.problems = problems }

    public var description: String {
        "the cohort reference data has \(problems.count) problem(s):\n"
            + problems.prefix(50).map { "  - \($0)" }.joined(separator: "\n")
            + (problems.count > 50 ? "\n  … and \(problems.count - 50) more" : "")
    }
}
