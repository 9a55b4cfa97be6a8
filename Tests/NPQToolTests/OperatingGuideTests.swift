import Foundation
import NPQTestSupport
import Testing

/// docs/operating.md and the README describe the configuration and the metrics the code has: every `NPQ_*` variable
/// a service or the `npq` tool reads is in the guide's table with exactly the programs that read it, the tables name
/// no variable nobody reads, and every metric the guide names is one the runtime registers.
@Suite("The operating guide and the README against the code")
struct OperatingGuideTests {
    static let repository = ExecutableRun.repository

    @Test("every NPQ_ variable the code reads is in the operating guide's table, with the programs that read it")
    func guideTableMatchesTheCode() throws {
        let table = try ConfigurationTable(markdown: Self.text("docs/operating.md"), section: "## Configuration")
        let problems = table.problems(against: try ConfigurationScan.current())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(
        "a missing, unread or misattributed variable in a copy of the table is caught",
        arguments: [
            (
                "| `NPQ_PREFETCH` | every service |", "| `NPQ_PREFETCHED` | every service |",
                [
                    "NPQ_PREFETCH (read by every service) is missing from the table",
                    "the table lists NPQ_PREFETCHED, which no service and not the npq tool reads",
                ]
            ),
            (
                "| `NPQ_SMTP_URL` | `npq-notifications` |", "| `NPQ_SMTP_URL` | `npq-senco` |",
                ["NPQ_SMTP_URL: the table says npq-senco, the code npq-notifications"]
            ),
            (
                "| `NPQ_AMQP_URL` | every service, `npq` |", "| `NPQ_AMQP_URL` | every service |",
                ["NPQ_AMQP_URL: the table says every service, the code every service, npq"]
            ),
        ])
    func editsAreCaught(original: String, replacement: String, expected: [String]) throws {
        let text = try Self.text("docs/operating.md")
        #expect(text.contains(original), "the test's edit no longer applies to docs/operating.md")
        let table = try ConfigurationTable(
            markdown: text.replacingOccurrences(of: original, with: replacement), section: "## Configuration")
        let problems = table.problems(against: try ConfigurationScan.current())
        for message in expected {
            #expect(problems.contains(message), "expected '\(message)' among: \(problems)")
        }
    }

    @Test("the README's configuration tables list exactly the variables the services read")
    func readmeTablesMatchTheCode() throws {
        let read = try ConfigurationScan.current()
        let services = Set(read.filter { !$0.value.subtracting(["npq"]).isEmpty }.keys)
        let listed = try ConfigurationTable.variables(markdown: Self.text("README.md"), section: "## Configuration")
        #expect(
            services.subtracting(listed).isEmpty, "missing from the README: \(services.subtracting(listed).sorted())")
        #expect(listed.subtracting(read.keys).isEmpty, "nobody reads: \(listed.subtracting(read.keys).sorted())")
    }

    @Test("every metric the operating guide names is one the service runtime registers")
    func metricsExist() throws {
        let sources = try ConfigurationScan.swiftSources(under: "Shared").joined(separator: "\n")
        let registered = Set(ConfigurationScan.matches(of: #"label:\s*"(npq_[a-z_]+)""#, in: sources))
        let guide = try Self.text("docs/operating.md")
        let named = Set(ConfigurationScan.matches(of: #"`(npq_[a-z_]+)[`{]"#, in: guide))
            .subtracting(["npq_inbox", "npq_outbox", "npq_attempts", "npq_parked", "npq_schema_migrations"])
        #expect(!named.isEmpty)
        #expect(named.subtracting(registered).isEmpty, "not registered: \(named.subtracting(registered).sorted())")
        #expect(registered.subtracting(named).isEmpty, "not in the guide: \(registered.subtracting(named).sorted())")
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }
}

/// Which program reads which `NPQ_*` variable, from the string literals of the sources: every service reads what
/// `Shared/ServiceRuntime` reads, `npq-<name>` what `Services/<Name>` reads, and `npq` what `Tools/npq` reads.
enum ConfigurationScan {
    static let everyService = ["applications", "eligibility", "cohorts", "senco", "notifications"].map { "npq-\($0)" }

    static func current() throws -> [String: Set<String>] {
        var read: [String: Set<String>] = [:]
        func add(_ sources: [String], _ programs: [String]) {
            for variable in sources.flatMap({ matches(of: #""(NPQ_[A-Z0-9_]+)""#, in: $0) }) {
                read[variable, default: []].formUnion(programs)
            }
        }
        add(try swiftSources(under: "Shared/ServiceRuntime"), everyService)
        let services = try FileManager.default.contentsOfDirectory(
            atPath: OperatingGuideTests.repository.appendingPathComponent("Services").path)
        for directory in services {
            add(try swiftSources(under: "Services/\(directory)"), ["npq-\(directory.lowercased())"])
        }
        add(try swiftSources(under: "Tools/npq"), ["npq"])
        return read
    }

    static func swiftSources(under path: String) throws -> [String] {
        let directory = OperatingGuideTests.repository.appendingPathComponent(path)
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return try files.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map {
            try String(contentsOf: $0, encoding: .utf8)
        }
    }

    /// The first capture group of every match of `pattern`.
    static func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// The configuration table of a Markdown section: rows `` | `NPQ_NAME` | read by | default | meaning | ``, where
/// "read by" names programs in backticks (`` `npq-senco` ``, `` `npq` ``) or says "every service".
struct ConfigurationTable {
    var rows: [String: Set<String>] = [:]
    var unparsed: [String] = []

    /// Every disagreement between the table and `read` (which programs read each variable), one sentence each.
    func problems(against read: [String: Set<String>]) -> [String] {
        var problems: [String] = []
        for (variable, programs) in read.sorted(by: { $0.key < $1.key }) {
            guard let listed = rows[variable] else {
                problems.append("\(variable) (read by \(Self.describe(programs))) is missing from the table")
                continue
            }
            if listed != programs {
                problems.append(
                    "\(variable): the table says \(Self.describe(listed)), the code \(Self.describe(programs))")
            }
        }
        for variable in Set(rows.keys).subtracting(read.keys).sorted() {
            problems.append("the table lists \(variable), which no service and not the npq tool reads")
        }
        for variable in unparsed {
            problems.append("\(variable): the 'read by' cell names no program")
        }
        return problems
    }

    /// `every service, npq`, or the programs' names.
    static func describe(_ programs: Set<String>) -> String {
        let every = Set(ConfigurationScan.everyService)
        let rest = programs.subtracting(every).sorted()
        return ((programs.isSuperset(of: every) ? ["every service"] : programs.intersection(every).sorted()) + rest)
            .joined(separator: ", ")
    }

    init(markdown: String, section: String) throws {
        for cells in try Self.rows(markdown: markdown, section: section) {
            guard let variable = cells.first.flatMap(Self.variable), cells.count >= 2 else { continue }
            var programs = Set(ConfigurationScan.matches(of: #"`(npq(?:-[a-z]+)?)`"#, in: cells[1]))
            if cells[1].contains("every service") { programs.formUnion(ConfigurationScan.everyService) }
            if programs.isEmpty { unparsed.append(variable) }
            rows[variable, default: []].formUnion(programs)
        }
    }

    /// Every variable named in the first cell of a row of the section's tables.
    static func variables(markdown: String, section: String) throws -> Set<String> {
        Set(try rows(markdown: markdown, section: section).compactMap { $0.first.flatMap(variable) })
    }

    private static func variable(_ cell: String) -> String? {
        ConfigurationScan.matches(of: #"^`(NPQ_[A-Z0-9_]+)`$"#, in: cell).first
    }

    /// The cells of the table rows between `section` and the next heading of its level.
    private static func rows(markdown: String, section: String) throws -> [[String]] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: section) else {
            throw GuideExampleRun.Failed(description: "no section '\(section)'")
        }
        let level = section.prefix { $0 == "#" } + " "
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix(level) } ?? lines.endIndex
        return lines[(start + 1)..<end].filter { $0.hasPrefix("| `NPQ_") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
