import ArgumentParser
import CohortsDomain
import Foundation
import MessageContracts

extension ReferenceImportCommand {
    /// `npq reference import cohorts [DIR]`: brings npq-cohorts in line with the cohort reference files.
    struct Cohorts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cohorts",
            abstract: "Define the cohorts, schedules and offerings of the cohort reference files on npq-cohorts.",
            discussion: """
                DIR holds the five files npq-cohorts itself loads at start: cohorts.json, schedules.json and \
                offerings.json (each entry written as the body of cohort.define, schedule.define or \
                cohort.offering.set), and courses.json and lead-providers.json. They are checked here first with \
                the same schemas and rules as npq-cohorts uses; a problem is reported naming its file, entry, field \
                and rule, and then nothing is sent. --dry-run stops after this check.

                Then the tool asks npq-cohorts what it holds (cohort.list) and sends a command for every entry that \
                differs: the cohorts first, then their schedules and offerings. An entry npq-cohorts already holds \
                as the file says is not sent. Each message id is derived from the entry and the change, so sending \
                the same change twice (a run repeated after a lost connection) applies it once. The tool waits until \
                npq-cohorts holds each entry as the file says, or has refused it, and prints what became of each: \
                created, changed (with the fields), refused (with npq-cohorts' reason), skipped (its cohort was \
                refused) or unanswered. Unchanged entries are counted; --all lists them too.

                Courses and lead providers are checked (offerings name them) but not sent: no command defines \
                them, and npq-cohorts reads them from its own reference folder at start. An import never removes \
                anything npq-cohorts holds; to withdraw an offering, give it "offered": false.

                Exit status:
                  0   npq-cohorts holds every entry as the files say
                      (with --dry-run: the files are valid)
                  1   the broker or npq-cohorts could not be reached,
                      or a file could not be read
                  2   the files break a rule: nothing was sent
                  3   npq-cohorts refused an entry (and what depends on it
                      was skipped)
                  4   an entry was sent, but neither applied nor refused
                      within --timeout seconds

                Examples:
                  npq reference import cohorts --dry-run
                  npq reference import cohorts /srv/npq/reference/cohorts --json
                """)

        @OptionGroup var broker: BrokerOptions

        @Argument(help: "The folder of the cohort reference files.")
        var directory = "reference/cohorts"

        @Flag(help: "Check the files here and print what they hold, without sending anything.")
        var dryRun = false

        @Flag(help: "List unchanged entries too.")
        var all = false

        @Flag(help: "Print the outcome as JSON on one line, for scripts.")
        var json = false

        func validate() throws {
            guard broker.timeout > 0 else { throw ValidationError("--timeout must be 1 second or more") }
        }

        func run() async throws {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                throw CLIError("\(directory) is not a folder; give the folder of the cohort reference files as DIR")
            }
            let data: CohortReferenceData
            do {
                data = try CohortReferenceData.load(
                    directory: directory, hint: "give the folder of the cohort reference files as DIR")
            } catch {
                let cannotRead = error.problems.allSatisfy { $0.message.hasPrefix("cannot be read") }
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw cannotRead ? ExitCode.failure : Status.invalidFile
            }
            let notSent = [
                CohortReferenceData.File.courses.rawValue: data.courses.count,
                CohortReferenceData.File.leadProviders.rawValue: data.leadProviders.count,
            ]
            if dryRun {
                print(json ? dryRunJSON(data, notSent: notSent) : dryRunText(data))
                return
            }
            let report = try await broker.withClient { client in
                let importer = ReferenceCohortImport(
                    sender: ReferenceSender(client: client), timeout: .seconds(broker.timeout))
                let held = try await importer.held()
                let (entries, state) = try await importer.run(ReferenceCohortImport.entries(data, comparedWith: held))
                return ReferenceCohortReport(
                    directory: directory, entries: entries, notSent: notSent, notInFiles: state.notIn(entries))
            }
            print(json ? report.json : report.text(all: all))
            if report.anyRefused { throw Status.refused }
            if report.anyUnanswered { throw Status.noAnswer }
        }

        /// What a dry run found, for a person.
        private func dryRunText(_ data: CohortReferenceData) -> String {
            "\(directory): \(data.cohorts.count) cohorts, \(data.schedules.count) schedules and "
                + "\(data.offerings.count) offerings (with \(data.courses.count) courses and "
                + "\(data.leadProviders.count) lead providers) follow every rule; nothing sent."
        }

        /// What a dry run found, for a script.
        private func dryRunJSON(_ data: CohortReferenceData, notSent: [String: Int]) -> String {
            JSONValue.object([
                "directory": .string(directory), "valid": .bool(true), "cohorts": .integer(data.cohorts.count),
                "schedules": .integer(data.schedules.count), "offerings": .integer(data.offerings.count),
                "notSent": .object(notSent.mapValues { .integer($0) }),
            ]).jsonString()
        }
    }
}
