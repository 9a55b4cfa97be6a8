import Foundation

extension CohortReferenceData {
    /// Reads and parses the five files in `directory` — the one way every service and the CLI load the cohort
    /// reference data.
    ///
    /// - Parameter hint: what to tell a person whose file cannot be read, e.g. which variable or option names the
    ///   directory.
    /// - Throws: a ``ReferenceDataError`` listing every unreadable file, or every problem in the files.
    public static func load(directory: String, hint: String) throws(ReferenceDataError) -> CohortReferenceData {
        var files: [File: Data] = [:]
        var problems: [ReferenceProblem] = []
        for file in File.allCases {
            let path = (directory as NSString).appendingPathComponent(file.rawValue)
            if let data = FileManager.default.contents(atPath: path) {
                files[file] = data
            } else {
                problems.append(ReferenceProblem(file: path, "cannot be read; \(hint)"))
            }
        }
        guard problems.isEmpty else { throw ReferenceDataError(problems) }
        return try parse(files)
    }
}
