import MessageContracts

/// One field whose value an import changes: `registrationCloses: 2026-10-09 → 2026-10-16`.
struct ReferenceFieldChange: Sendable, Codable, Equatable, CustomStringConvertible {
    /// A JSON path, e.g. `registrationCloses` or `milestones[2].date`.
    var field: String
    /// The value before, as JSON text (strings without quotes); `nil` when the field was absent.
    var from: String?
    /// The value after, the same way; `nil` when the field is removed.
    var to: String?

    var description: String { "\(field) \(from ?? "(none)") → \(to ?? "(none)")" }

    /// The fields that differ between two bodies, in path order: objects are compared member by member and arrays
    /// of the same length element by element; anything else that differs is one change.
    static func between(_ before: JSONValue, _ after: JSONValue, at path: String = "") -> [ReferenceFieldChange] {
        switch (before, after) {
        case (.object(let old), .object(let new)):
            return Set(old.keys).union(new.keys).sorted().flatMap { key -> [ReferenceFieldChange] in
                let field = path.isEmpty ? key : "\(path).\(key)"
                switch (old[key], new[key]) {
                case (let old?, let new?): return between(old, new, at: field)
                case (nil, let new?): return [ReferenceFieldChange(field: field, from: nil, to: text(new))]
                case (let old?, nil): return [ReferenceFieldChange(field: field, from: text(old), to: nil)]
                case (nil, nil): return []
                }
            }
        case (.array(let old), .array(let new)) where old.count == new.count:
            return zip(old, new).enumerated().flatMap { index, pair in between(pair.0, pair.1, at: "\(path)[\(index)]")
            }
        default:
            return before == after ? [] : [ReferenceFieldChange(field: path, from: text(before), to: text(after))]
        }
    }

    /// A value as a person reads it: a string as it is, anything else as JSON.
    private static func text(_ value: JSONValue) -> String {
        value.stringValue ?? value.jsonString()
    }
}
