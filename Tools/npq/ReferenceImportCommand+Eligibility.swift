import ArgumentParser
import EligibilityDomain

extension ReferenceImportCommand {
    /// `npq reference import eligibility LIST FILE`: the same import as `npq eligibility list import`, under the
    /// reference commands; it hands its arguments to that command, so there is one implementation of it.
    struct Eligibility: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eligibility",
            abstract: "Replace a funding reference list (PP50, RISE, childminders, …) with a CSV file.",
            discussion: (EligibilityListCommand.Import.configuration.discussion
                .replacingOccurrences(
                    of: "npq eligibility list import pp50_schools",
                    with: "npq reference import eligibility pp50_schools"))
                    + """


                    Exit status: 0 imported (or checked, with --dry-run); 1 the file breaks a rule, npq-eligibility \
                    refused it, or the broker or service could not be reached.
                    """)

        @OptionGroup var broker: BrokerOptions

        @Argument(
            help: ArgumentHelp(
                "Which list: \(ReferenceListKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                valueName: "list"))
        var list: String

        @Argument(help: "The CSV file.")
        var file: String

        @Flag(help: "Check the file and print what it holds, without sending it.")
        var dryRun = false

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            try await EligibilityListCommand.Import.parse(forwardedArguments).run()
        }

        /// These arguments as `npq eligibility list import` takes them.
        var forwardedArguments: [String] {
            var arguments = [list, file, "--timeout", "\(broker.timeout)"]
            if let url = broker.amqpURL { arguments += ["--amqp-url", url] }
            if dryRun { arguments.append("--dry-run") }
            if json { arguments.append("--json") }
            return arguments
        }
    }
}
