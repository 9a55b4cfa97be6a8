import Foundation
import MessageContracts

/// What `npq reference import cohorts` did, for a person (a table) or a script (`--json`).
struct ReferenceCohortReport: Sendable, Codable {
    /// One entry of the files and its outcome.
    struct Row: Sendable, Codable {
        var kind: ReferenceCohortEntry.Kind
        /// `2026b`, `2026b npq-leadership-autumn`, `2026b npq-senco teach-first`.
        var entry: String
        var result: ReferenceCohortEntry.Outcome
        /// For `changed`: the fields the file changed.
        var changes: [ReferenceFieldChange]?
        /// The message id it was last sent with; absent when it was not sent.
        var messageID: String?
        /// For `refused`: npq-cohorts' reason, detail and field errors.
        var refusal: Refusal?
        /// For `skipped` and `unanswered`: why.
        var note: String?
    }

    /// Why npq-cohorts refused an entry.
    struct Refusal: Sendable, Codable {
        var reason: String
        var detail: String
        var fieldErrors: [FieldError]
    }

    /// The folder the files were read from.
    var directory: String
    var entries: [Row]
    /// How many entries had each result.
    var counts: [String: Int]
    /// What the files hold that no command sends: courses and lead providers, by file.
    var notSent: [String: Int]
    /// What npq-cohorts holds that the files do not mention (`kind key`); an import never removes anything.
    var notInFiles: [String]

    init(
        directory: String, entries: [ReferenceCohortEntry], notSent: [String: Int], notInFiles: [String]
    ) {
        self.directory = directory
        self.entries = entries.map { entry in
            Row(
                kind: entry.kind, entry: entry.key, result: entry.outcome ?? .unanswered,
                changes: entry.outcome == .changed ? entry.changes : nil, messageID: entry.messageID,
                refusal: entry.refusal.map {
                    Refusal(reason: $0.reason.rawValue, detail: $0.detail, fieldErrors: $0.fieldErrors)
                }, note: entry.note)
        }
        counts = Dictionary(self.entries.map { ($0.result.rawValue, 1) }, uniquingKeysWith: +)
        self.notSent = notSent
        self.notInFiles = notInFiles
    }

    /// Whether npq-cohorts refused anything, or something was skipped because of a refusal.
    var anyRefused: Bool { entries.contains { $0.result == .refused || $0.result == .skipped } }

    /// Whether the outcome of something sent is unknown.
    var anyUnanswered: Bool { entries.contains { $0.result == .unanswered } }

    /// The report on one line of JSON, keys sorted.
    var json: String {
        let encoder = ContractEncoder.makeJSONEncoder()
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// A table of the entries that were sent or skipped (every entry with `all`), then the counts and notes.
    func text(all: Bool) -> String {
        let shown = entries.filter { all || $0.result != .unchanged }
        var blocks: [String] = []
        if shown.isEmpty {
            blocks.append(
                "Nothing to change: npq-cohorts already holds all \(entries.count) entries of \(directory) as the "
                    + "files say.")
        } else {
            let table = textTable(
                ["KIND", "ENTRY", "RESULT", "DETAIL"],
                shown.map { [$0.kind.rawValue, $0.entry, $0.result.rawValue, Self.detail($0)] })
            blocks.append(
                table.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n"))
        }
        let order = ReferenceCohortEntry.Outcome.allCases.compactMap { outcome in
            counts[outcome.rawValue].map { "\($0) \(outcome.rawValue)" }
        }
        blocks.append("\(entries.count) entries: \(order.joined(separator: ", ")).")
        var notes: [String] = []
        if !notSent.isEmpty {
            let files = notSent.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            notes.append(
                "Checked but not sent: \(files.joined(separator: ", ")); no command defines them, npq-cohorts "
                    + "reads them from its own reference folder at start (NPQ_COHORTS_REFERENCE_DIR).")
        }
        if !notInFiles.isEmpty {
            let listed = notInFiles.prefix(5).joined(separator: ", ")
            let more = notInFiles.count > 5 ? " and \(notInFiles.count - 5) more" : ""
            notes.append(
                "npq-cohorts also holds \(notInFiles.count) entr\(notInFiles.count == 1 ? "y" : "ies") the files do "
                    + "not mention (\(listed)\(more)); an import never removes anything (to withdraw an offering, "
                    + "give it \"offered\": false).")
        }
        if !notes.isEmpty { blocks.append(notes.joined(separator: "\n")) }
        return blocks.joined(separator: "\n\n")
    }

    /// The DETAIL column: the changes, the refusal's field errors, or the note.
    private static func detail(_ row: Row) -> String {
        if let refusal = row.refusal {
            guard !refusal.fieldErrors.isEmpty else { return "\(refusal.reason): \(refusal.detail)" }
            return refusal.fieldErrors.map(\.description).joined(separator: "; ")
        }
        if let note = row.note { return note }
        return (row.changes ?? []).map(\.description).joined(separator: "; ")
    }
}
