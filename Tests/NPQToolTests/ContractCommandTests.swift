import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// `npq contract …`, run as a child process; offline, no broker.
@Suite("npq contract")
struct ContractCommandTests {
    static func contract(_ arguments: [String]) async throws -> ExecutableRun {
        try await ExecutableRun("npq", ["contract"] + arguments)
    }

    static let checkedIn = ExecutableRun.repository.appendingPathComponent("docs/asyncapi.yaml")

    @Test("contract schema prints one contract's JSON Schema, whichever way the type is written")
    func schema() async throws {
        let run = try await Self.contract(["schema", "application.submit"])
        #expect(run.status == 0, "\(run.error)")
        let schema = try JSONValue(parsing: Data(run.output.utf8))
        #expect(schema["$id"] == "urn:npq:schema:npq.application.submit.v1")
        #expect(schema["$schema"] == "http://json-schema.org/draft-07/schema#")
        #expect(schema["properties"]?["applicant"]?["type"] == "object")
        #expect(schema == ApplicationSubmit.schemaDocument)
        for spelling in ["application.submit.v1", "npq.application.submit.v1", " Application.Submit "] {
            let again = try await Self.contract(["schema", spelling])
            #expect(again.output == run.output, "\(spelling)")
        }
        // Any kind: an event and a reply too.
        let event = try await Self.contract(["schema", "message.rejected"])
        #expect(event.status == 0)
        #expect(try JSONValue(parsing: Data(event.output.utf8)) == MessageRejected.schemaDocument)
        #expect(try await Self.contract(["schema", "cohort.list.result"]).status == 0)
    }

    @Test("contract schema refuses an unknown type with the closest names, and a missing version with those it has")
    func unknownType() async throws {
        let typo = try await Self.contract(["schema", "application.submitt"])
        #expect(typo.status == 64)
        #expect(typo.output.isEmpty)
        #expect(typo.error.contains("there is no message type 'application.submitt'. Did you mean application.submit"))
        #expect(typo.error.contains("`npq contract list` shows every message type"))

        let event = try await Self.contract(["schema", "application.submited"])
        #expect(event.error.contains("Did you mean application.submitted, application.submit,"), "\(event.error)")

        let version = try await Self.contract(["schema", "npq.application.submit.v9"])
        #expect(version.status == 64)
        #expect(version.error.contains("application.submit has no version 9 (it has v1)"))
    }

    @Test("contract list shows every message type with its kind")
    func list() async throws {
        let run = try await Self.contract(["list"])
        #expect(run.status == 0)
        let rows = run.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(3) == ["TYPE", "KIND", "SUMMARY"])
        #expect(rows.count == MessageCatalog.all.count + 1)
        for contract in MessageCatalog.all {
            #expect(
                rows.contains { $0.prefix(2) == [contract.typeName, contract.kind.rawValue] }, "\(contract.typeName)")
        }
        let queries = try await Self.contract(["list", "--kind", "query"])
        #expect(queries.lines.count == MessageCatalog.contracts(ofKind: .query).count + 1)
        #expect(try await Self.contract(["list", "--kind", "queries"]).status == 64)
    }

    @Test("contract asyncapi prints docs/asyncapi.yaml, and --output writes it")
    func asyncAPI() async throws {
        let expected = try String(contentsOf: Self.checkedIn, encoding: .utf8)
        let printed = try await Self.contract(["asyncapi"])
        #expect(printed.status == 0)
        #expect(
            printed.output == expected,
            "docs/asyncapi.yaml is stale: run `swift run npq contract asyncapi --output docs/asyncapi.yaml`")
        #expect(printed.output == AsyncAPIDocument().yaml)

        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("asyncapi.yaml")
        let written = try await Self.contract(["asyncapi", "--output", file.path])
        #expect(written.status == 0)
        #expect(written.output.hasPrefix("Wrote \(file.path): AsyncAPI 3.0.0"))
        #expect(try String(contentsOf: file, encoding: .utf8) == printed.output)
    }

    @Test("contract asyncapi --check passes on the checked-in file and fails, showing where, on a changed copy")
    func check() async throws {
        let current = try await Self.contract(["asyncapi", "--check", "docs/asyncapi.yaml"])
        #expect(current.status == 0, "\(current.output)\(current.error)")
        #expect(current.output.contains("docs/asyncapi.yaml is up to date."))

        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("asyncapi.yaml")
        let text = try String(contentsOf: Self.checkedIn, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "title: NPQ suite messages", with: "title: Something else")
        #expect(changed != text)
        try Data(changed.utf8).write(to: copy)
        let stale = try await Self.contract(["asyncapi", "--check", copy.path])
        #expect(stale.status == 1)
        #expect(stale.output.contains("1 line to remove, 1 to add, in 1 place"), "\(stale.output)")
        #expect(stale.output.contains("-   title: Something else"), "\(stale.output)")
        #expect(stale.output.contains("+   title: NPQ suite messages"), "\(stale.output)")
        #expect(stale.error.contains("swift run npq contract asyncapi --output \(copy.path)"))

        // A file cut short, and one that is not there.
        try Data(text.prefix(text.count / 2).utf8).write(to: copy)
        let truncated = try await Self.contract(["asyncapi", "--check", copy.path])
        #expect(truncated.status == 1)
        let generatedLines = AsyncAPIDocument().yaml.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let keptLines = text.prefix(text.count / 2).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(
            truncated.output.contains("to remove, \(generatedLines - keptLines) to add, in 1 place"),
            "\(truncated.output)")
        let missing = try await Self.contract(["asyncapi", "--check", directory.appendingPathComponent("none").path])
        #expect(missing.status == 2)
        #expect(missing.error.contains("cannot read"))

        let both = try await Self.contract(["asyncapi", "--check", copy.path, "--output", copy.path])
        #expect(both.status == 64)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "npq-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
