import ArgumentParser
import Foundation

extension ContractCommand {
    /// The most changed places `--check` shows, and the most lines of each.
    static let shownHunks = 3
    static let shownLinesPerHunk = 16

    /// `--check FILE`: returns when `file` holds exactly `expected`; otherwise prints where they differ and exits 1
    /// (2 when the file cannot be read).
    static func check(file: String, against expected: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("Error: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        // Bytes, not strings: Swift's string equality would take a decomposed é for a precomposed one.
        guard data != Data(expected.utf8) else {
            print("\(file) is up to date.")
            return
        }
        print(differenceSummary(file: file, actual: String(decoding: data, as: UTF8.self), expected: expected))
        FileHandle.standardError.write(
            Data(
                """
                Error: \(file) differs from what the contracts give. If the contract change is intended, run \
                `swift run npq contract asyncapi --output \(file)` and commit the file.

                """.utf8))
        throw ExitCode.failure
    }

    /// A short, unified-diff-like account of how `actual` (the file) differs from `expected` (the contracts').
    static func differenceSummary(file: String, actual: String, expected: String) -> String {
        let old = lines(actual)
        let new = lines(expected)
        guard let edits = LineDiff.edits(from: old, to: new) else {
            let first =
                zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            return "\(file) differs from the contracts' document almost everywhere, from line \(first + 1) on "
                + "(\(old.count) lines in the file, \(new.count) generated)."
        }
        let hunks = LineDiff.hunks(edits, context: 2)
        let removed = edits.filter { if case .removed = $0 { true } else { false } }.count
        let added = edits.filter { if case .added = $0 { true } else { false } }.count
        var text =
            "\(file) differs from the contracts' document: \(removed) line\(removed == 1 ? "" : "s") to remove, "
            + "\(added) to add, in \(hunks.count) place\(hunks.count == 1 ? "" : "s") (- file, + contracts)."
        for hunk in hunks.prefix(shownHunks) {
            text += "\n" + hunk.header
            for edit in hunk.edits.prefix(shownLinesPerHunk) {
                switch edit {
                case .same(let line, _): text += "\n  " + clipped(old[line])
                case .removed(let line): text += "\n- " + clipped(old[line])
                case .added(let line): text += "\n+ " + clipped(new[line])
                }
            }
            if hunk.edits.count > shownLinesPerHunk {
                text += "\n  … \(hunk.edits.count - shownLinesPerHunk) more lines"
            }
        }
        if hunks.count > shownHunks {
            text += "\n… and \(hunks.count - shownHunks) more place\(hunks.count - shownHunks == 1 ? "" : "s")."
        }
        return text
    }

    private static func lines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func clipped(_ line: Substring) -> String {
        line.count <= 116 ? String(line) : String(line.prefix(115)) + "…"
    }
}
