/// Why the eligibility domain cannot do what it was asked: a reference file (the policy, a list, the schools register)
/// that cannot be used, or an application whose answers cannot be assessed.
///
/// Each error says what is wrong and where: the file and line for a reference file, the field for an input. An input
/// error is not an eligibility outcome — the answers are incomplete or contradict each other, and the caller must
/// fix them; an outcome such as `ineligible_establishment_type` is a decision about complete answers.
public struct EligibilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case policy
            case list
            case register
            case input
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The policy file cannot be used.
        public static let policyFile = Code(.policy)
        /// A reference list (PP50, RISE, childminders…) cannot be used.
        public static let referenceList = Code(.list)
        /// The schools register (GIAS extract) cannot be used.
        public static let schoolsRegister = Code(.register)
        /// The application's answers cannot be assessed.
        public static let input = Code(.input)

        /// `policy`, `list`, `register` or `input`.
        public var description: String { base.rawValue }
    }

    /// What kind of problem it is.
    public var code: Code
    /// The reference file, as the caller named it; `nil` for an input error.
    public var file: String?
    /// The 1-based line of the file where the problem is, when there is one line to point at.
    public var line: Int?
    /// The field: a JSON path such as `versions[1] (2025).targetedCourses` or `institution.urn`, or a CSV column.
    public var field: String?
    /// What is wrong and what to change, in plain English.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, file: String? = nil, line: Int? = nil, field: String? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// An input error for `field`.
    public static func input(_ field: String, _ message: String) -> EligibilityError {
        EligibilityError(.input, field: field, message)
    }

    /// `file: line N: field: message`, leaving out the parts that are absent.
    public var description: String {
        [file, line.map { "line \($0)" }, field, message].compactMap { $0 }.joined(separator: ": ")
    }
}
