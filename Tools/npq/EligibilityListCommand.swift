import ArgumentParser
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq eligibility list …`: the reference lists the funding decision consults.
struct EligibilityListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The reference lists (PP50, RISE, childminders, …).",
        subcommands: [Import.self])

    /// `npq eligibility list import LIST FILE`: checks a DfE list file here, then has npq-eligibility replace the
    /// list with it.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace a reference list as a whole with a CSV file in DfE's layout.",
            discussion: """
                The file is checked here first: the list's column is found by its header (other columns are \
                ignored), and a missing column or a malformed identifier is reported with its line, before \
                anything is sent. Then npq-eligibility replaces the list in one step and answers with the new \
                version, its size and what changed. The new version applies to applications received from then \
                on. Only broker users in NPQ_OPERATOR_USERS may import.

                Lists and their columns:
                \(ReferenceListKind.allCases.map { "  \($0.rawValue.padding(toLength: 27, withPad: " ", startingAt: 0)) \"\($0.header)\"" }.joined(separator: "\n"))

                A file too large for one message (over 900 kB) is sent as its identifier column only.

                Example:
                  npq eligibility list import pp50_schools pp50-schools-2026.csv
                """)

        @OptionGroup var broker: BrokerOptions

        @Argument(
            help:
                "Which list: pp50_schools, pp50_further_education, rise_schools, childminders, la_nurseries or disadvantaged_early_years."
        )
        var list: String

        @Argument(help: "The CSV file.")
        var file: String

        @Flag(help: "Check the file and print what it holds, without sending it.")
        var dryRun = false

        @Flag(help: "Print the reply as JSON.")
        var json = false

        /// The most of a file sent as it is; larger files are sent as their identifier column.
        static let largestSentWhole = 900_000

        func run() async throws {
            guard let kind = ReferenceListKind(rawValue: list) else {
                throw ValidationError(
                    "no list \"\(list)\"; use one of \(ReferenceListKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read \(file)")
            }
            let parsed: ReferenceList
            do {
                parsed = try ReferenceList.parse(data, kind: kind, file: file)
            } catch {
                throw CLIError("\(error)")
            }
            let fileName = URL(fileURLWithPath: file).lastPathComponent
            if dryRun {
                print(
                    "\(kind.rawValue): \(parsed.count) identifiers in \(parsed.rowCount) rows of \(fileName); nothing sent"
                )
                return
            }
            let csv: String
            if data.count <= Self.largestSentWhole, let text = String(data: data, encoding: .utf8) {
                csv = text
            } else {
                csv = ([kind.header] + parsed.identifiers.sorted()).joined(separator: "\n") + "\n"
                FileHandle.standardError.write(
                    Data("\(fileName) is \(data.count) bytes: sending its \(parsed.count) identifiers only\n".utf8))
            }
            let command = EligibilityListImport(
                list: EligibilityListName(rawValue: kind.rawValue)!, csv: csv, fileName: fileName)
            let imported: EligibilityListImported
            do {
                imported = try await broker.withClient { client in
                    try await client.ask(
                        command, expecting: EligibilityListImported.self, timeout: .seconds(broker.timeout))
                }
            } catch let error as QueryRejectedError {
                throw CLIError("npq-eligibility refused the list: \(error)")
            }
            if json {
                print(String(decoding: ContractEncoder.encode(imported), as: UTF8.self))
            } else {
                print(
                    "\(imported.list.rawValue): version \(imported.version), \(imported.count) identifiers "
                        + "(\(imported.added) added, \(imported.removed) removed), imported by \(imported.importedBy)")
            }
        }
    }
}
