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
