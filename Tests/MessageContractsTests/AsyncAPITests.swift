import Foundation
import MessageContracts
import Testing

/// The AsyncAPI document: generated from the contracts, checked in as `docs/asyncapi.yaml`, valid against the official
/// AsyncAPI 3.0.0 JSON Schema, and complete.
///
/// The validation runs `scripts/check-asyncapi.py` with the python in `NPQ_TEST_PYTHON` (jsonschema and PyYAML), which
/// `make test` prepares; without it those tests fail rather than skip.
@Suite("AsyncAPI document")
struct AsyncAPITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let checkedIn = repository.appendingPathComponent("docs/asyncapi.yaml")
    static let checker = repository.appendingPathComponent("scripts/check-asyncapi.py")
    /// The official schema lives beside the repository, in `../shared/schemas`.
    static let officialSchema = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/schemas/asyncapi-3.0.0.json")
    static let regenerate = "run `swift run npq contract asyncapi --output docs/asyncapi.yaml` and commit the file"

    static let document = AsyncAPIDocument()
    static let generated = document.jsonValue
    static let typeNames = MessageCatalog.all.map { $0.typeName }.sorted()

    // MARK: - Drift

    @Test("docs/asyncapi.yaml is exactly what the contracts generate")
    func checkedInFileIsCurrent() throws {
        guard let actual = FileManager.default.contents(atPath: Self.checkedIn.path) else {
            Issue.record("docs/asyncapi.yaml is missing; \(Self.regenerate).")
            return
        }
        let expected = Data(Self.document.yaml.utf8)
        guard actual != expected else { return }
        Issue.record(
            """
            docs/asyncapi.yaml differs from what the contracts generate \
            (\(GoldenFixture.firstDifference(fixture: actual, contract: expected))); \(Self.regenerate).
            """)
    }

    @Test("docs/asyncapi.yaml, read by PyYAML, is the generated document")
    func checkedInFileReadsAsGenerated() async throws {
        let loaded = try await Self.readWithPyYAML(Self.checkedIn)
        if let difference = Self.firstDifference(loaded, Self.generated) {
            let message =
                "docs/asyncapi.yaml read by PyYAML differs from the generated document at \(difference); "
                + "\(Self.regenerate)."
            Issue.record("\(message)")
        }
    }

    // MARK: - Completeness

    @Test(
        "Every contract is a message with its payload, headers, example, correlation id and AMQP binding",
        arguments: typeNames)
    func everyContractIsAMessage(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let key = AsyncAPIDocument.messageKey(contract)
        let message = try #require(Self.generated["components"]?["messages"]?[key], "no message \(key)")
        #expect(message["name"] == .string(key))
        #expect(message["title"] == .string(typeName))
        #expect(message["summary"] == .string(contract.summary))
        #expect(message["contentType"] == "application/json")
        #expect(message["payload"] == AsyncAPIDocument.payload(contract))
        #expect(message["headers"] == AsyncAPIDocument.headersSchema(contract).jsonValue)
        #expect(message["correlationId"]?["location"] == "$message.header#/correlation_id")
        #expect(message["bindings"]?["amqp"] == ["messageType": .string(typeName), "bindingVersion": "0.3.0"])
        #expect(message["examples"]?[0]?["payload"] == contract.exampleJSON)
        #expect(message["examples"]?[0]?["headers"] == AsyncAPIDocument.exampleHeaders(contract))

        // The payload is the contract's schema document, less the two keywords an embedded schema leaves out.
        guard case .object(var payload) = try #require(message["payload"]) else {
            Issue.record("the payload of \(key) is not an object")
            return
        }
        payload["$schema"] = .string(JSONSchema.draft07)
        payload["$id"] = .string(contract.schemaID)
        #expect(JSONValue.object(payload) == contract.schemaDocument)
    }

    @Test("Every command, query and event has its channel on its exchange and an operation", arguments: typeNames)
    func everyContractHasChannelAndOperation(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let key = AsyncAPIDocument.messageKey(contract)
        let channelID = AsyncAPIDocument.channelID(contract)
        let channel = try #require(Self.generated["channels"]?[channelID], "no channel \(channelID)")
        #expect(channel["messages"]?[key]?["$ref"] == .string("#/components/messages/\(key)"))
        guard let operationID = AsyncAPIDocument.operationID(contract) else {
            // A reply: on the reply channel, and the answer of its query.
            #expect(contract.kind == .reply)
            let answered = Self.generated["operations"].map(Self.replyReferences) ?? []
            #expect(answered.contains("#/channels/reply/messages/\(key)"), "no query is answered by \(typeName)")
            return
        }
        #expect(channel["address"] == .string(contract.routingKey))
        let binding = try #require(channel["bindings"]?["amqp"])
        #expect(binding["is"] == "routingKey")
        #expect(binding["bindingVersion"] == "0.3.0")
        #expect(
            binding["exchange"]
                == [
                    "name": .string(contract.exchange), "type": "topic", "durable": true, "autoDelete": false,
                    "vhost": "/",
                ])

        let operation = try #require(Self.generated["operations"]?[operationID], "no operation \(operationID)")
        #expect(operation["action"] == (contract.kind == .event ? "receive" : "send"))
        #expect(operation["channel"]?["$ref"] == .string("#/channels/\(channelID)"))
        #expect(operation["messages"] == [["$ref": .string("#/channels/\(channelID)/messages/\(key)")]])
        #expect((operation["reply"] != nil) == (contract.kind == .query))
    }

    @Test("Each query is answered on the reply channel by the reply named after it, or by message.rejected")
    func queriesHaveReplies() throws {
        let queries = MessageCatalog.contracts(ofKind: .query)
        #expect(!queries.isEmpty)
        for query in queries {
            let reply = try #require(Self.document.replyContract(for: query), "\(query.typeName) has no reply contract")
            let operation = try #require(Self.generated["operations"]?[AsyncAPIDocument.operationID(query) ?? ""])
            #expect(
                operation["reply"]
                    == [
                        "address": [
                            "location": "$message.header#/reply_to",
                            "description": operation["reply"]?["address"]?["description"] ?? .null,
                        ],
                        "channel": ["$ref": "#/channels/reply"],
                        "messages": [
                            ["$ref": .string("#/channels/reply/messages/\(AsyncAPIDocument.messageKey(reply))")],
                            ["$ref": "#/channels/reply/messages/MessageRejectedV1"],
                        ],
                    ], "\(query.typeName)")
        }
        #expect(Self.generated["channels"]?["reply"]?["address"] == .null)
        #expect(
            Self.generated["channels"]?["reply"]?["bindings"]?["amqp"]?["queue"]?["name"] == "amq.rabbitmq.reply-to")
        // The naming rule in both of its forms.
        #expect(Self.document.replyContract(for: CohortList.self)?.typeName == CohortListResult.typeName)
        #expect(Self.document.replyContract(for: SENCOStatusGet.self)?.typeName == SENCOStatusResult.typeName)
    }

    @Test("Message keys are unique, and the document's header is stable")
    func keysAndHeader() throws {
        let keys = MessageCatalog.all.map { AsyncAPIDocument.messageKey($0) }
        #expect(Set(keys).count == keys.count)
        #expect(AsyncAPIDocument.messageKey(CohortOfferingTargetReached.self) == "CohortOfferingTargetReachedV1")
        #expect(Self.generated["asyncapi"] == "3.0.0")
        #expect(Self.generated["defaultContentType"] == "application/json")
        #expect(Self.generated["info"]?["version"] == .string("1.\(MessageCatalog.all.count).0"))
        #expect(Self.generated["servers"]?["local"]?["protocolVersion"] == "0.9.1")
        #expect(Self.document.yaml.hasPrefix(AsyncAPIDocument.generatedNotice + "\nasyncapi: \"3.0.0\"\ninfo:\n"))
        #expect(Self.document.yaml == AsyncAPIDocument().yaml)
    }

    // MARK: - Validity

    @Test("The generated document is valid against the official AsyncAPI 3.0.0 JSON Schema, examples included")
    func validAgainstOfficialSchema() async throws {
        #expect(
            FileManager.default.fileExists(atPath: Self.officialSchema.path),
            "the official schema is missing at \(Self.officialSchema.path)")
        let file = try Self.temporaryFile(Self.document.yaml, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await Self.check([file.path])
        #expect(run.status == 0, "scripts/check-asyncapi.py found problems:\n\(run.output)\(run.error)")
        #expect(run.output.contains("valid AsyncAPI 3.0.0"), "\(run.output)")
    }

    @Test("The checker reports a document that breaks the schema, with the JSON path of each problem")
    func checkerReportsProblems() async throws {
        guard case .object(var document) = Self.generated, case .object(var info) = document["info"] else {
            Issue.record("the document is not an object")
            return
        }
        info["version"] = 1
        document["info"] = .object(info)
        document["operations"] = ["sendNothing": ["action": "publish", "channel": ["$ref": "#/channels/nowhere"]]]
        let file = try Self.temporaryFile(JSONValue.object(document).yamlString(), suffix: ".yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await Self.check([file.path])
        #expect(run.status == 1)
        #expect(run.output.contains("$.info"), "\(run.output)")
        #expect(run.output.contains("$.operations.sendNothing"), "\(run.output)")
        #expect(run.output.contains("$.operations.sendNothing.channel: $ref #/channels/nowhere points at nothing"))
    }

    @Test("Each example meets its own payload and headers schemas", arguments: typeNames)
    func examplesMeetTheirSchemas(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let example = try #require(
            Self.generated["components"]?["messages"]?[AsyncAPIDocument.messageKey(contract)]?["examples"]?[0])
        #expect(contract.schema.validate(try #require(example["payload"])) == [])
        #expect(AsyncAPIDocument.headersSchema(contract).validate(try #require(example["headers"])) == [])
    }

    // MARK: - The YAML emitter

    @Test("Scalars that YAML would read as something else are quoted; plain words stay plain")
    func scalarQuoting() {
        let cases: [(JSONValue, String)] = [
            ("topic", "topic"), ("npq.application.submit.v1", "npq.application.submit.v1"),
            ("Replies (direct reply-to)", "Replies (direct reply-to)"), ("yes", "\"yes\""), ("Off", "\"Off\""),
            ("null", "\"null\""), ("y", "\"y\""), ("3.0.0", "\"3.0.0\""), ("1", "\"1\""), ("", "\"\""),
            ("#/components", "\"#/components\""), ("a: b", "\"a: b\""), ("trailing ", "\"trailing \""),
            ("line\nbreak\t\"quoted\" \\", #""line\nbreak\t\"quoted\" \\""#),
            ("\u{2028}\u{85}\u{7F}", #""\u2028\u0085\u007f""#),
            ("café — £5", "\"café — £5\""), (.integer(-3), "-3"), (.number(0.5), "0.5"), (.number(1e20), "1.0e+20"),
            (.bool(true), "true"), (.null, "null"), ([], "[]"), ([:], "{}"),
        ]
        for (value, yaml) in cases {
            #expect(JSONValue.object(["k": value]).yamlString() == "k: \(yaml)\n", "\(value)")
        }
    }

    @Test("Collections nest in block style, keys sorted after the leading ones")
    func blockStyle() {
        let value: JSONValue = [
            "b": [1, ["x": 1, "a": [:]], [2, 3], []],
            "a": ["yes": false],
            "first": "z",
        ]
        #expect(
            value.yamlString(leadingKeys: ["first", "missing"]) == """
                first: z
                a:
                  "yes": false
                b:
                  - 1
                  - a: {}
                    x: 1
                  - - 2
                    - 3
                  - []

                """)
    }

    @Test("Text of several lines is a literal block when it reads back unchanged that way, else double-quoted")
    func literalBlocks() {
        let value: JSONValue = [
            "a": "First paragraph.\n\nSecond, `code`: # not a comment.",
            "b": ["one\ntwo\n", "tab\there\nx", "trailing \nspace", " leading\nspace", "two breaks\n\n"],
        ]
        #expect(
            value.yamlString() == #"""
                a: |-
                  First paragraph.

                  Second, `code`: # not a comment.
                b:
                  - |
                    one
                    two
                  - "tab\there\nx"
                  - "trailing \nspace"
                  - " leading\nspace"
                  - "two breaks\n\n"

                """#)
    }

    @Test("Awkward strings, keys and numbers read back unchanged with PyYAML")
    func emitterRoundTripsThroughPyYAML() async throws {
        let awkward: [String] = [
            "yes", "No", "ON", "~", "null", "NULL", "true", "1", "-1", "0x1F", "0o17", "1_000", "1:20", "1e5", ".inf",
            "-.inf", ".NaN", "2026-11-22", "2026-11-22T09:30:00Z", "<<", "=", "", " ", " lead", "trail ", "a: b",
            "a #b",
            "#c", "- x", "-x", "? q", ":", "[x]", "{x}", "x, y", "*ref", "&anchor", "!tag", "%directive", "@at",
            "`tick",
            "|", ">", "'single'", "\"double\"", "back\\slash", "multi\nline\n", "para\n\n  indented\n# hash\n- dash",
            "---\n...", "end\n\n", "\r\n", "tab\there", "\u{0}\u{1}\u{1F}",
            "\u{7F}\u{80}\u{85}\u{9F}\u{A0}", "\u{2028}\u{2029}", "\u{FEFF}bom", "\u{FFFE}\u{FFFF}", "café", "e\u{301}",
            "日本語", "🙂", "$message.header#/reply_to", "npq.application.submit.v1",
        ]
        let longKey = String(repeating: "k", count: 1500)
        let value: JSONValue = [
            "strings": .array(awkward.map(JSONValue.string)),
            "keys": .object(Dictionary(uniqueKeysWithValues: awkward.map { ($0, .string($0)) })),
            "numbers": [0, -7, .integer(Int.max), .integer(Int.min), 0.5, -2.25, 1e20, 1.5e-7, 123456.789],
            "nested": [[[]], [[:]], [["a": [1, [2]]]], ["k": [["x": [:]]]]],
            .init(stringLiteral: longKey): ["inner": "value"],
            "flags": [true, false, .null],
        ]
        let file = try Self.temporaryFile(value.yamlString(), suffix: ".yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let loaded = try await Self.readWithPyYAML(file)
        #expect(Self.firstDifference(loaded, value) == nil, "\(Self.firstDifference(loaded, value) ?? "")")
    }

    // MARK: - Running the checker

    /// The python with jsonschema and PyYAML that `make test` prepares; the tests that need it fail without it.
    static func python() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"], !path.isEmpty else {
            throw MissingPython()
        }
        return path
    }

    struct MissingPython: Error, CustomStringConvertible {
        var description: String {
            "NPQ_TEST_PYTHON is not set: run the tests with `make test`, or with "
                + "NPQ_TEST_PYTHON=$(scripts/ensure-python.sh) swift test …"
        }
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// `scripts/check-asyncapi.py --schema <official schema> ARGUMENTS`.
    static func check(_ arguments: [String]) async throws -> Run {
        try await run(try python(), [checker.path, "--schema", officialSchema.path] + arguments)
    }

    /// `file` as PyYAML reads it, as a JSON value.
    static func readWithPyYAML(_ file: URL) async throws -> JSONValue {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".json")
        defer { try? FileManager.default.removeItem(at: json) }
        let run = try await check(["--parse-only", "--emit-json", json.path, file.path])
        guard run.status == 0, let data = FileManager.default.contents(atPath: json.path) else {
            throw CheckerFailed(text: "could not read \(file.lastPathComponent) as YAML:\n\(run.output)\(run.error)")
        }
        return try JSONValue(parsing: data)
    }

    struct CheckerFailed: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    /// Runs `executable` with `arguments`, its output in temporary files (a pipe could fill up and stall it).
    static func run(_ executable: String, _ arguments: [String]) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repository
        let output = try temporaryFile("", suffix: ".out")
        let error = try temporaryFile("", suffix: ".err")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: error)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: error)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            output: String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self),
            error: String(decoding: (try? Data(contentsOf: error)) ?? Data(), as: UTF8.self))
    }

    static func temporaryFile(_ text: String, suffix: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + suffix)
        try Data(text.utf8).write(to: file)
        return file
    }

    // MARK: - Comparing documents

    /// Every `$ref` under the `reply` of an operation.
    static func replyReferences(_ operations: JSONValue) -> [String] {
        guard case .object(let members) = operations else { return [] }
        return members.values.flatMap { operation -> [String] in
            guard case .array(let messages) = operation["reply"]?["messages"] else { return [] }
            return messages.compactMap { $0["$ref"]?.stringValue }
        }
    }

    /// The JSON path of the first place where `actual` and `expected` differ, with both values there; `nil` when equal.
    static func firstDifference(_ actual: JSONValue, _ expected: JSONValue, path: String = "$") -> String? {
        switch (actual, expected) {
        case (.object(let left), .object(let right)):
            for key in Set(left.keys).union(right.keys).sorted() {
                let here = "\(path)[\(JSONValue.string(key).jsonString())]"
                guard let leftValue = left[key] else { return "\(here): missing from the file" }
                guard let rightValue = right[key] else { return "\(here): in the file, not generated" }
                if let difference = firstDifference(leftValue, rightValue, path: here) { return difference }
            }
            return nil
        case (.array(let left), .array(let right)):
            for index in 0..<max(left.count, right.count) {
                guard index < left.count, index < right.count else {
                    return "\(path): \(left.count) elements in the file, \(right.count) generated"
                }
                if let difference = firstDifference(left[index], right[index], path: "\(path)[\(index)]") {
                    return difference
                }
            }
            return nil
        default:
            return actual == expected
                ? nil : "\(path): the file has \(actual.jsonString()), generated \(expected.jsonString())"
        }
    }
}
