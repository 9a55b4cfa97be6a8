import Foundation
import NPQTestSupport

/// One scenario's figures, as the fault suite writes them (`.build/faults/<scenario>.json`) and tabulates them in
/// docs/reliability.md.
struct ScenarioResult: Codable, Sendable {
    struct Hostile: Codable, Sendable {
        var sent: Int
        var parked: Int
        var refusedByBroker: Int
        var acceptedAsData: Int
        var unaccounted: Int
        /// Per kind of hostile message: outcome → count.
        var byKind: [String: [String: Int]]
        /// Per kind: one refusal's detail, as the service gave it.
        var samples: [String: String] = [:]
    }

    var order: Int
    var scenario: String
    var fault: String
    /// Messages the workload (and the hostile generator) published, each once however often it was sent again.
    var sent: Int
    /// Sends repeated because the broker did not confirm them (connection lost), with the same message id.
    var republished: Int
    /// Every effect's figures added up.
    var totals: Ledger.Count
    var parked: [String: Int]
    var recoverySeconds: [Double]
    var crashes: Int
    var effects: [String: Ledger.Count]
    var hostile: Hostile?
    var durationSeconds: Double
    var notes: [String]
    var date: String
    /// The workload's scale (`NPQ_FAULTS_SCALE`) and pace.
    var scale: Double
    var applicationsPerSecond: Double

    /// Where the results of this run go: `NPQ_FAULTS_RESULTS`, or `.build/faults` in the repository.
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["NPQ_FAULTS_RESULTS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return ExecutableRun.repository.appendingPathComponent(".build/faults")
    }

    /// Writes this result, then the table of every result in the directory, and puts the table into the Markdown
    /// file `NPQ_FAULTS_REPORT` names (between its markers), if any.
    func write() throws {
        let directory = Self.directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent("\(scenario).json"))
        let results = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .compactMap {
                try? JSONDecoder().decode(Self.self, from: Data(contentsOf: directory.appendingPathComponent($0)))
            }
            .sorted { $0.order < $1.order }
        let table = Self.table(results)
        try Data(table.utf8).write(to: directory.appendingPathComponent("reliability-table.md"))
        if let report = ProcessInfo.processInfo.environment["NPQ_FAULTS_REPORT"], !report.isEmpty {
            try Self.insert(table, into: URL(fileURLWithPath: report))
        }
    }

    static let beginMarker = "<!-- fault-suite:begin (written by the fault suite: make test-faults) -->"
    static let endMarker = "<!-- fault-suite:end -->"

    /// The Markdown table of `results`, with the hostile input's breakdown and the per-effect figures after it.
    static func table(_ results: [ScenarioResult]) -> String {
        var lines = [
            "| Scenario | Fault | Sent | Effects expected | Observed | Lost | Duplicated | Unexpected | Resent, same id | Parked (reason) | Recovery (s) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for result in results {
            let parked =
                result.parked.isEmpty
                ? "0"
                : "\(result.parked.values.reduce(0, +)): "
                    + result.parked.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", ")
            let recovery =
                result.recoverySeconds.isEmpty
                ? "–" : result.recoverySeconds.map { String(format: "%.1f", $0) }.joined(separator: ", ")
            lines.append(
                "| \(result.scenario) | \(result.fault) | \(result.sent) | \(result.totals.expected) | "
                    + "\(result.totals.observed) | \(result.totals.lost) | \(result.totals.duplicated) | "
                    + "\(result.totals.unexpected) | \(result.totals.resent) | \(parked) | "
                    + "\(recovery) |")
        }
        if let hostile = results.first(where: { $0.hostile != nil })?.hostile {
            lines += [
                "",
                "Hostile input: \(hostile.sent) messages; \(hostile.parked) parked with a reason, "
                    + "\(hostile.refusedByBroker) refused by the broker, \(hostile.acceptedAsData) accepted as data "
                    + "(stored verbatim, and shown verbatim in the applicant's email: escaped in its HTML part), \(hostile.unaccounted) unaccounted for.",
                "",
                "| Hostile message | Outcomes | For example |",
                "|---|---|---|",
            ]
            for (kind, outcomes) in hostile.byKind.sorted(by: { $0.key < $1.key }) {
                let sample = (hostile.samples[kind] ?? "").replacingOccurrences(of: "|", with: "\\|")
                    .replacingOccurrences(of: "\n", with: " ")
                lines.append(
                    "| \(kind) | "
                        + outcomes.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
                            separator: ", ")
                        + " | \(sample) |")
            }
        }
        lines += ["", "Per effect (expected / observed / lost / duplicated / resent / unexpected):", ""]
        lines.append("| Scenario | " + Ledger.Effect.allCases.map(\.rawValue).joined(separator: " | ") + " |")
        lines.append("|---|" + Ledger.Effect.allCases.map { _ in "---:|" }.joined())
        for result in results {
            let cells = Ledger.Effect.allCases.map { effect -> String in
                guard let count = result.effects[effect.rawValue] else { return "–" }
                return
                    "\(count.expected)/\(count.observed)/\(count.lost)/\(count.duplicated)/\(count.resent)/\(count.unexpected)"
            }
            lines.append("| \(result.scenario) | " + cells.joined(separator: " | ") + " |")
        }
        if let date = results.map(\.date).max() {
            let scales = Set(results.map(\.scale)).sorted().map { String(format: "%g", $0) }.joined(separator: ", ")
            let rates = Set(results.map(\.applicationsPerSecond)).sorted().map { String(format: "%g", $0) }
                .joined(separator: ", ")
            lines += [
                "",
                "Measured \(date) on this repository's CI machine class (2 cores), debug build; workload scale "
                    + "\(scales) (NPQ_FAULTS_SCALE), \(rates) applications offered per second.",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Replaces what stands between the markers of `file` with `table`.
    static func insert(_ table: String, into file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let begin = text.range(of: beginMarker), let end = text.range(of: endMarker),
            begin.upperBound <= end.lowerBound
        else {
            throw FaultSuiteError("\(file.path) has no \(beginMarker) … \(endMarker) section for the table")
        }
        let updated = text[..<begin.upperBound] + "\n" + table + text[end.lowerBound...]
        try Data(updated.utf8).write(to: file)
    }
}
