import Foundation

/// A strict RFC 8259 parser that turns a body into a ``JSONValue`` within ``JSONParsingLimits``.
///
/// Foundation's parsers accept more than JSON on some platforms and report errors in terms a
/// publisher cannot act on; this one checks size first, UTF-8 second, then grammar, and refuses
/// duplicate keys because two readers could disagree on which value wins. Recursion is bounded by
/// the depth limit, which is checked before descending, so deep input fails instead of
/// exhausting the stack.
struct JSONParser {
    private let bytes: [UInt8]
    private let limits: JSONParsingLimits
    private var index = 0

    /// Parses `data` completely.
    static func parse(_ data: Data, limits: JSONParsingLimits) throws(JSONParsingError) -> JSONValue {
        guard data.count <= limits.maxBytes else {
            throw JSONParsingError(
                code: .tooLarge,
                message: "The body is \(data.count) bytes, more than the limit of \(limits.maxBytes) bytes; send less.",
                offset: nil)
        }
        var parser = JSONParser(bytes: Array(data), limits: limits)
        try parser.validateUTF8()
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8], limits: JSONParsingLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Document

    private mutating func parseDocument() throws(JSONParsingError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw syntaxError("The body starts with a byte order mark; send UTF-8 JSON without one", at: 0)
        }
        skipWhitespace()
        guard index < bytes.count else {
            throw syntaxError("The body is empty; send a JSON object", at: 0)
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else {
            throw syntaxError("Unexpected \(describeCurrent()) after the end of the JSON value", at: index)
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONParsingError) -> JSONValue {
        guard index < bytes.count else {
            throw syntaxError("The JSON ends where a value was expected", at: index)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw syntaxError("Expected a JSON value but found \(describeCurrent())", at: index)
        }
    }

    // MARK: Containers

    private mutating func enter(depth: Int) throws(JSONParsingError) {
        guard depth <= limits.maxDepth else {
            throw JSONParsingError(
                code: .tooDeep,
                message:
                    "The JSON nests arrays and objects more than \(limits.maxDepth) levels deep \(location(index)); flatten it.",
                offset: index)
        }
        index += 1
        skipWhitespace()
    }

    private mutating func parseObject(depth: Int) throws(JSONParsingError) -> JSONValue {
        try enter(depth: depth)
        var members: [String: JSONValue] = [:]
        if consume(UInt8(ascii: "}")) {
            return .object(members)
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw syntaxError("Expected a member name in double quotes but found \(describeCurrent())", at: index)
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else {
                throw syntaxError(
                    "Expected ':' after the member name \"\(key)\" but found \(describeCurrent())", at: index)
            }
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: key) == nil else {
                throw syntaxError("The member name \"\(key)\" appears twice in one object; keep one", at: keyOffset)
            }
            skipWhitespace()
            if consume(UInt8(ascii: "}")) {
                return .object(members)
            }
            guard consume(UInt8(ascii: ",")) else {
                throw syntaxError(
                    "Expected ',' or '}' after an object member but found \(describeCurrent())", at: index)
            }
            skipWhitespace()
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParsingError) -> JSONValue {
        try enter(depth: depth)
        var elements: [JSONValue] = []
        if consume(UInt8(ascii: "]")) {
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if consume(UInt8(ascii: "]")) {
                return .array(elements)
            }
            guard consume(UInt8(ascii: ",")) else {
                throw syntaxError(
                    "Expected ',' or ']' after an array element but found \(describeCurrent())", at: index)
            }
            skipWhitespace()
        }
    }

    // MARK: Scalars

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParsingError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else {
            throw syntaxError("Expected a JSON value but found \(describeCurrent())", at: index)
        }
        index += expected.count
        return value
    }

    private mutating func parseNumber() throws(JSONParsingError) -> JSONValue {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw syntaxError("A number needs a digit after '-'", at: index)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw syntaxError("A number must not start with a leading zero", at: start)
            }
        } else {
            skipDigits()
        }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw syntaxError("A number needs digits after its decimal point", at: index)
            }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw syntaxError("A number needs digits in its exponent", at: index)
            }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int(text) {
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else {
            throw syntaxError("The number \(text) is too large to represent", at: start)
        }
        return .number(value)
    }

    private mutating func parseString() throws(JSONParsingError) -> String {
        let start = index
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw syntaxError("A string is not closed with '\"'", at: start)
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // The whole body was validated as UTF-8 and escapes only add valid scalars.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw syntaxError(
                    "A string contains an unescaped control character (byte 0x\(hex(byte))); write it as an escape like \\n",
                    at: index)
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParsingError) {
        let escapeOffset = index
        index += 1
        guard index < bytes.count else {
            throw syntaxError("A string ends in the middle of an escape", at: escapeOffset)
        }
        let letter = bytes[index]
        index += 1
        let simple: UInt8? =
            switch letter {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            utf8.append(simple)
            return
        }
        guard letter == UInt8(ascii: "u") else {
            throw syntaxError("A string contains the unknown escape \\\(describe(letter))", at: escapeOffset)
        }
        var scalar = try parseHexQuad(escapeOffset: escapeOffset)
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by an escaped low surrogate; together they name
            // one scalar beyond the Basic Multilingual Plane.
            guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                throw syntaxError("A string contains an unpaired surrogate escape", at: escapeOffset)
            }
            index += 2
            let low = try parseHexQuad(escapeOffset: escapeOffset)
            guard (0xDC00..<0xE000).contains(low) else {
                throw syntaxError("A string contains an unpaired surrogate escape", at: escapeOffset)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw syntaxError("A string contains an unpaired surrogate escape", at: escapeOffset)
        }
        UTF8.encode(Unicode.Scalar(scalar)!) { utf8.append($0) }
    }

    private mutating func parseHexQuad(escapeOffset: Int) throws(JSONParsingError) -> UInt32 {
        guard index + 4 <= bytes.count else {
            throw syntaxError("A \\u escape needs four hex digits", at: escapeOffset)
        }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            guard let digit = hexValue(byte) else {
                throw syntaxError("A \\u escape needs four hex digits", at: escapeOffset)
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    // MARK: UTF-8

    /// Checks well-formed UTF-8 as Unicode defines it: no overlong forms, no surrogates, nothing
    /// above U+10FFFF, no truncated sequences.
    private func validateUTF8() throws(JSONParsingError) {
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let length: Int
            let secondRange: ClosedRange<UInt8>
            switch lead {
            case 0x00...0x7F:
                offset += 1
                continue
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default:
                throw utf8Error(at: offset)
            }
            guard offset + length <= bytes.count, secondRange.contains(bytes[offset + 1]),
                bytes[(offset + 2)..<(offset + length)].allSatisfy({ (0x80...0xBF).contains($0) })
            else { throw utf8Error(at: offset) }
            offset += length
        }
    }

    private func utf8Error(at offset: Int) -> JSONParsingError {
        JSONParsingError(
            code: .invalidUTF8,
            message: "The body is not valid UTF-8 \(location(offset)) (byte 0x\(hex(bytes[offset]))); send UTF-8 text.",
            offset: offset)
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) {
            index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func hex(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
    }

    private func describeCurrent() -> String {
        index < bytes.count ? describe(bytes[index]) : "the end of the body"
    }

    /// "at line L, column C", counting from 1, so a person can find the spot in an editor.
    private func location(_ offset: Int) -> String {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return "at line \(line), column \(offset - lineStart + 1)"
    }

    private func syntaxError(_ problem: String, at offset: Int) -> JSONParsingError {
        JSONParsingError(
            code: .invalidSyntax, message: "The body is not valid JSON: \(problem) \(location(offset)).", offset: offset
        )
    }
}
