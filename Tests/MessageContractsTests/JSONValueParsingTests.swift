import Foundation
import MessageContracts
import Testing

/// Parsing bodies into JSON values: strict grammar, limits on size and depth, UTF-8 only.
@Suite("JSON value parsing")
struct JSONValueParsingTests {
    private func parse(_ text: String, limits: JSONParsingLimits = .default) throws(JSONParsingError) -> JSONValue {
        try JSONValue(parsing: Data(text.utf8), limits: limits)
    }

    private func parsingError(_ data: Data, limits: JSONParsingLimits = .default) -> JSONParsingError? {
        do {
            _ = try JSONValue(parsing: data, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("Every kind of JSON value parses")
    func parsesEveryKind() throws {
        let value = try parse(
            #" { "a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}, "e": -0 } "#
        )
        let expected: JSONValue = [
            "a": [1, -2.5, 300.0, true, false, .null],
            "b": ["c": "d\"\\/\u{08}\u{0C}\n\r\té😀"],
            "e": 0,
        ]
        #expect(value == expected)
    }

    @Test("Integers are kept exact; other numbers are doubles")
    func integersStayExact() throws {
        #expect(try parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try parse("1.5") == .number(1.5))
        #expect(try parse("1e2") == .number(100))
        #expect(try parse("99999999999999999999") == .number(1e20))
        #expect(JSONValue.integer(2) == JSONValue.number(2.0))
    }

    @Test("Nesting 10,000 levels deep fails cleanly with a depth error")
    func deepNestingFailsCleanly() throws {
        let body = Data((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8)
        let error = try #require(parsingError(body))
        #expect(error.code == .tooDeep)
        #expect(error.message.contains("more than 32 levels"))
        #expect(error.fieldError.rule == "depth")
        let objects = Data(String(repeating: #"{"a":"#, count: 10_000).utf8)
        #expect(parsingError(objects)?.code == .tooDeep)
    }

    @Test("Nesting up to the depth limit is accepted")
    func nestingAtLimitIsAccepted() throws {
        let atLimit = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try parse(atLimit) }
        let overLimit = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(parsingError(Data(overLimit.utf8))?.code == .tooDeep)
        let shallow = JSONParsingLimits(maxDepth: 2)
        #expect(parsingError(Data(#"{"a":{"b":{}}}"#.utf8), limits: shallow)?.code == .tooDeep)
    }

    @Test("A body over the size limit is refused before parsing")
    func oversizedBodyIsRefused() throws {
        let body = Data(("\"" + String(repeating: "x", count: 1_048_576) + "\"").utf8)
        let error = try #require(parsingError(body))
        #expect(error.code == .tooLarge)
        #expect(error.fieldError.rule == "size")
        #expect(parsingError(Data("[1,2,3]".utf8), limits: JSONParsingLimits(maxBytes: 6))?.code == .tooLarge)
        #expect(parsingError(Data("[1,2,3]".utf8), limits: JSONParsingLimits(maxBytes: 7)) == nil)
    }

    @Test(
        "Invalid UTF-8 is refused with its offset",
        arguments: [
            ([0x22, 0xFF, 0x22], 1),  // a byte that never appears in UTF-8
            ([0x22, 0xC3, 0x22], 1),  // a truncated two-byte sequence
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // an overlong '/'
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // an encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x5B, 0x31, 0x2C, 0x22, 0xE2, 0x82, 0x22, 0x5D], 4),  // truncated three-byte sequence
        ] as [([UInt8], Int)])
    func invalidUTF8IsRefused(bytes: [UInt8], offset: Int) throws {
        let error = try #require(parsingError(Data(bytes)))
        #expect(error.code == .invalidUTF8)
        #expect(error.offset == offset)
        #expect(error.fieldError.rule == "encoding")
    }

    @Test(
        "Text that is not JSON is refused with a syntax error",
        arguments: [
            "", "   ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-",
            "1e", "+1", "tru", "nul", "NaN", "Infinity", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
            "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\nb\"", "{} {}", "[1] x", "1e400",
            "{\"a\":1,\"a\":2}", "\u{FEFF}{}",
        ])
    func nonJSONIsRefused(text: String) throws {
        let error = try #require(parsingError(Data(text.utf8)))
        #expect(error.code == .invalidSyntax)
        #expect(error.fieldError.rule == "syntax")
        #expect(error.message.hasPrefix("The body is not valid JSON"))
    }

    @Test("Syntax errors say where they are by line and column")
    func syntaxErrorsGiveLocation() throws {
        let error = try #require(parsingError(Data("{\n  \"a\": 1,\n  \"b\" 2\n}".utf8)))
        #expect(
            error.message
                == "The body is not valid JSON: Expected ':' after the member name \"b\" but found '2' at line 3, column 7."
        )
        #expect(error.offset == 18)
    }

    @Test("Serialization sorts keys, escapes what JSON requires and pretty-prints stably")
    func serializesDeterministically() {
        let value: JSONValue = ["b": [1, 2.5, "x/y"], "a": ["z": .null, "é": "\"\n\u{01}"], "c": [], "d": [:]]
        #expect(
            value.jsonString()
                == #"{"a":{"z":null,"é":"\"\n\u0001"},"b":[1,2.5,"x/y"],"c":[],"d":{}}"#)
        #expect(
            value.jsonString(prettyPrinted: true) == """
                {
                  "a": {
                    "z": null,
                    "é": "\\"\\n\\u0001"
                  },
                  "b": [
                    1,
                    2.5,
                    "x/y"
                  ],
                  "c": [],
                  "d": {}
                }
                """)
    }

    @Test("Serialized values parse back to the same value")
    func serializationRoundTrips() throws {
        let value: JSONValue = [
            "text": "line\nbreak \u{7F} 😀 \\ \"", "numbers": [0, -1, 0.1, 1e-7, 123_456_789_012], "flag": false,
        ]
        #expect(try JSONValue(parsing: value.jsonData()) == value)
        #expect(try JSONValue(parsing: value.jsonData(prettyPrinted: true)) == value)
    }
}

@Suite("JSON value coding")
struct JSONValueCodingTests {
    @Test("JSONValue decodes and encodes through JSONDecoder and JSONEncoder without changing kinds")
    func codableKeepsKinds() throws {
        let text = #"[1,true,1.5,"x",null,{"a":[]},0,false]"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == [1, true, 1.5, "x", .null, ["a": []], 0, false])
        guard case .array(let elements) = value else {
            Issue.record("expected an array")
            return
        }
        #expect(elements[1] == .bool(true))
        #expect(elements[0] != .bool(true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == text)
    }
}
