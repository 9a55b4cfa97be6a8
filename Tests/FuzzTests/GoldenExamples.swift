import Foundation
import MessageContracts

/// The valid body of each message type that the fuzzers start from: the `example` of its golden fixture in
/// `Tests/MessageContractsTests/Fixtures`, found from this source file so the tests run from any directory.
enum GoldenExamples {
    static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("MessageContractsTests/Fixtures", isDirectory: true)

    /// Every catalog type name, sorted, as test arguments.
    static let typeNames = MessageCatalog.all.map { $0.typeName }.sorted()

    /// Every fixture's example by type name, read once.
    private static let examples: [String: JSONValue] = Dictionary(
        uniqueKeysWithValues: typeNames.compactMap { typeName in read(typeName).map { (typeName, $0) } })

    /// The fixture's example for `typeName`, or `nil` when the file is missing or has none.
    static func example(_ typeName: String) -> JSONValue? {
        examples[typeName]
    }

    private static func read(_ typeName: String) -> JSONValue? {
        let file = fixturesDirectory.appendingPathComponent("\(typeName).json")
        guard let data = FileManager.default.contents(atPath: file.path),
            let fixture = try? JSONValue(parsing: data, limits: JSONParsingLimits(maxBytes: 1 << 24, maxDepth: 512))
        else { return nil }
        return fixture["example"]
    }
}
