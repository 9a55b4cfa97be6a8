import ArgumentParser
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

extension ReferenceImportCommand {
    /// `npq reference import schools FILE`: replaces the schools register with a GIAS extract.
    struct Schools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schools",
            abstract: "Replace the GIAS schools register with an \"all establishment data\" CSV file.",
            discussion: """
                FILE is GIAS's "all establishment data" download (edubasealldata*.csv, some 50,000 \
                establishments, UTF-8 or Windows-1252). Its columns are found by header: URN, \
                TypeOfEstablishment (code) and EstablishmentStatus (code) are required; UKPRN, \
                EstablishmentName, LA (code) and Postcode are read when present; the others are ignored.

                The file is checked here first, with the rules npq-eligibility uses; a problem is reported \
                naming its line, column and rule, and then nothing is sent. --dry-run stops after this check.

                The schools are then sent to npq-eligibility as school.register.import in parts (each under the \
                broker's 1 MiB) sharing one import id, with the file's SHA-256. npq-eligibility keeps the parts \
                until it has all of them, checks the register as a whole and swaps it in in one step as a new \
                version, which applies to applications received from then on; npq-applications and \
                npq-notifications learn the changes from it. A refused import changes nothing. A file the \
                register already matches makes no new version. Only broker users in NPQ_OPERATOR_USERS may import.

                The tool waits for npq-eligibility's answer up to --timeout seconds, and at least five seconds a \
                part (a minute for a full GIAS extract).

                Exit status:
                  0   imported, or nothing to change
                      (with --dry-run: the file is valid)
                  1   the broker or npq-eligibility could not be reached,
                      or the file could not be read
                  2   the file breaks a rule: nothing was sent
                  3   npq-eligibility refused the import: the register is
                      as it was
                  4   no answer within the time allowed

                Examples:
                  npq reference import schools edubasealldata20260901.csv --dry-run
                  npq reference import schools edubasealldata20260901.csv --json
                """)

        @OptionGroup var broker: BrokerOptions

        @Argument(help: "The GIAS CSV file.")
        var file: String

        @Flag(help: "Check the file and print what it holds, without sending it.")
        var dryRun = false

        @Flag(help: "Print npq-eligibility's answer (school.register.imported) as JSON on one line.")
        var json = false

        /// The most bytes of schools one part carries, leaving room under the broker's 1 MiB for the rest.
        static let partBytes = 900_000

        func validate() throws {
            guard broker.timeout > 0 else { throw ValidationError("--timeout must be 1 second or more") }
        }

        func run() async throws {
            let started = ContinuousClock.now
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read \(file)")
            }
            let fileName = URL(fileURLWithPath: file).lastPathComponent
            let rows: [SchoolRegister.Row]
            do {
                rows = try SchoolRegister.rows(data, file: fileName)
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw Status.invalidFile
            }
            guard !rows.isEmpty else {
                FileHandle.standardError.write(
                    Data(
                        "Error: \(fileName) has GIAS's header but no establishments; the register is replaced as a whole, so an empty file would empty it\n"
                            .utf8))
                throw Status.invalidFile
            }
            let sha256 = ReferenceSHA256.hex(data)
            let importID = UUID()
            let parts = Self.parts(
                rows.map { $0.school.entry(line: $0.line) }, importID: importID, sha256: sha256, fileName: fileName)
            if dryRun {
                let open = rows.filter { $0.school.status.isOpen }.count
                print(
                    json
                        ? JSONValue.object([
                            "fileName": .string(fileName), "schools": .integer(rows.count), "open": .integer(open),
                            "sha256": .string(sha256), "parts": .integer(parts.count),
                        ]).jsonString()
                        : "\(fileName): \(rows.count) establishments (\(open) open), SHA-256 \(sha256); would be sent "
                            + "in \(parts.count) part\(parts.count == 1 ? "" : "s"); nothing sent")
                return
            }
            let wait = max(Duration.seconds(broker.timeout), .seconds(5 * parts.count))
            let answer = try await broker.withClient { client in
                try await Self.send(parts, sender: ReferenceSender(client: client), wait: wait)
            }
            let imported: SchoolRegisterImported
            switch answer {
            case .imported(let reply):
                imported = reply
            case .refused(let refusal):
                var lines = ["Error: npq-eligibility refused the import; the register is as it was: \(refusal.detail)"]
                lines += refusal.fieldErrors.map { "  \($0)" }
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                throw Status.refused
            case .none:
                FileHandle.standardError.write(
                    Data(
                        ("Error: sent \(parts.count) parts of import \(importID.uuidString.lowercased()), but "
                            + "npq-eligibility did not answer within \(wait.components.seconds) s: is it running and "
                            + "ready (/health/ready)? It applies the import once it has every part, whenever that is; "
                            + "running the import again is safe.\n").utf8))
                throw Status.noAnswer
            }
            if json {
                print(String(decoding: ContractEncoder.encode(imported), as: UTF8.self))
                return
            }
            let elapsed = ContinuousClock.now - started
            let seconds = String(
                format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            if imported.importID != importID {
                print(
                    "The schools register already holds what \(fileName) says: version \(imported.version), "
                        + "\(imported.schools) schools, imported by \(imported.importedBy) at "
                        + "\(RFC3339.format(imported.importedAt)); nothing changed.")
            } else {
                print(
                    "schools register: version \(imported.version), \(imported.schools) schools (\(imported.added) "
                        + "added, \(imported.removed) removed, \(imported.changed) changed), imported by "
                        + "\(imported.importedBy)")
            }
            print("Sent \(rows.count) establishments in \(parts.count) parts in \(seconds) s.")
        }

        /// What npq-eligibility answered.
        enum Answer: Sendable {
            case imported(SchoolRegisterImported)
            case refused(MessageRejected)
        }

        /// Sends every part and waits up to `wait` for the answer to the one that completes the import, or for a
        /// refusal of any.
        static func send(
            _ parts: [SchoolRegisterImport], sender: ReferenceSender, wait: Duration
        ) async throws
            -> Answer?
        {
            defer { sender.stopWaiting() }
            var ids: [String] = []
            for part in parts {
                let id = DerivedMessageID.make(
                    from: "\(part.importID.uuidString.lowercased()) \(part.part)", purpose: "school.register.import")
                ids.append(id)
                sender.send(sender.message(part, id: id), waitingUpTo: wait)
            }
            let deadline = ContinuousClock.now + wait
            while ContinuousClock.now < deadline {
                try sender.checkFailure()
                for id in ids {
                    if let refusal = sender.refusal(of: id) { return .refused(refusal) }
                    if let reply = sender.reply(to: id), reply.properties.type == SchoolRegisterImported.typeName {
                        return .imported(try ContractDecoder.decode(SchoolRegisterImported.self, from: reply.body))
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        /// The schools in parts of at most ``partBytes`` bytes of entries and
        /// ``SchoolRegisterImport/maxSchoolsPerPart`` schools, in the file's order.
        static func parts(
            _ schools: [SchoolRegisterEntry], importID: UUID, sha256: String, fileName: String
        ) -> [SchoolRegisterImport] {
            let encoder = ContractEncoder.makeJSONEncoder()
            var chunks: [[SchoolRegisterEntry]] = []
            var current: [SchoolRegisterEntry] = []
            var bytes = 0
            for school in schools {
                let size = ((try? encoder.encode(school))?.count ?? 1_000) + 1
                if !current.isEmpty, bytes + size > partBytes || current.count >= SchoolRegisterImport.maxSchoolsPerPart
                {
                    chunks.append(current)
                    current = []
                    bytes = 0
                }
                current.append(school)
                bytes += size
            }
            if !current.isEmpty { chunks.append(current) }
            return chunks.enumerated().map { index, chunk in
                SchoolRegisterImport(
                    importID: importID, part: index + 1, parts: chunks.count, sha256: sha256, fileName: fileName,
                    schools: chunk)
            }
        }
    }
}
