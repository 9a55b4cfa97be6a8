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
