import Foundation
import MessageContracts
import Testing

/// Golden fixtures: one checked-in file per contract holding its type, kind, schema and example,
/// so that any change to a contract shows up in review as a changed file.
///
/// Set `NPQ_UPDATE_FIXTURES=1` to rewrite the files from the contracts instead of comparing.
@Suite("Golden fixtures")
struct GoldenFixtureTests {
    /// `Tests/MessageContractsTests/Fixtures`, found from this source file so it works from any
    /// working directory.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    static let updating = ProcessInfo.processInfo.environment["NPQ_UPDATE_FIXTURES"] == "1"

    static let regenerate = "run `NPQ_UPDATE_FIXTURES=1 swift test --filter MessageContractsTests` to regenerate it"

    static let typeNames = MessageCatalog.all.map { $0.typeName }.sorted()

    @Test("Each contract's fixture matches what the contract produces, byte for byte", arguments: typeNames)
    func fixtureMatchesContract(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let expected = GoldenFixture.render(contract)
        let file = Self.fixturesDirectory.appendingPathComponent("\(typeName).json")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.fixturesDirectory, withIntermediateDirectories: true)
            try expected.write(to: file, options: .atomic)
            return
        }
        guard let actual = FileManager.default.contents(atPath: file.path) else {
            Issue.record("Fixtures/\(typeName).json is missing; \(Self.regenerate).")
            return
        }
        guard actual != expected else { return }
        Issue.record(
            """
            Fixtures/\(typeName).json differs from what the contract produces \
            (\(GoldenFixture.firstDifference(fixture: actual, contract: expected))). If the contract change is \
            intended (and additive within a version), \(Self.regenerate); otherwise revert the edit.
            """)
    }

    @Test("Every fixture file belongs to a contract in the catalog")
    func everyFixtureHasAContract() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixturesDirectory.path)
            .filter { !$0.hasPrefix(".") }
        for file in files.sorted() {
            let typeName = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
            #expect(
                MessageCatalog.contract(forTypeName: typeName) != nil,
                "Fixtures/\(file) has no contract in MessageCatalog.all; delete it or add the contract.")
        }
    }

    @Test("Each fixture names its type and holds an example its contract accepts", arguments: typeNames)
    func fixtureIsSelfConsistent(typeName: String) throws {
        let file = Self.fixturesDirectory.appendingPathComponent("\(typeName).json")
        guard let data = FileManager.default.contents(atPath: file.path) else { return }
        let fixture = try JSONValue(parsing: data)
        #expect(fixture["type"] == .string(typeName))
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let example = try #require(fixture["example"])
        #expect(contract.schema.validate(example) == [])
    }
}

/// How a contract is written as a golden fixture.
enum GoldenFixture {
    /// `{"example", "kind", "schema", "type"}`, pretty-printed with sorted keys and a final newline.
    static func render(_ contract: any MessageContract.Type) -> Data {
        let fixture: JSONValue = [
            "type": .string(contract.typeName),
            "kind": .string(contract.kind.rawValue),
            "schema": contract.schemaDocument,
            "example": contract.exampleJSON,
        ]
        return Data((fixture.jsonString(prettyPrinted: true) + "\n").utf8)
    }

    /// Where two fixture texts first differ, as a line number and both versions of that line.
    static func firstDifference(fixture: Data, contract: Data) -> String {
        let fixtureLines = String(decoding: fixture, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        let contractLines = String(decoding: contract, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        for line in 0..<max(fixtureLines.count, contractLines.count) {
            let inFixture = line < fixtureLines.count ? String(fixtureLines[line]) : "(end of file)"
            let inContract = line < contractLines.count ? String(contractLines[line]) : "(end of file)"
            if inFixture != inContract {
                return "first at line \(line + 1): the file has `\(inFixture)`, the contract gives `\(inContract)`"
            }
        }
        return "they differ only in bytes that do not show"
    }
}
