extension JSONValue {
    /// The value as a YAML document in block style, with object keys in UTF-8 byte order (after `leadingKeys`, which
    /// come first in the given order when the top-level value is an object), so that equal values give equal bytes.
    ///
    /// Written for generated files such as the AsyncAPI document: every value reads back as the same JSON value
    /// under YAML 1.2 and YAML 1.1 parsers alike (PyYAML included). A string is written plain only when it cannot be
    /// mistaken for anything else — it starts with an ASCII letter, holds only letters, digits, spaces and
    /// `. _ - / ( ) , '`, does not end with a space and is not a word YAML 1.1 reads as a boolean or null (`yes`,
    /// `off`, `null`…). A text of several lines is a literal block (`|-`) when it reads back unchanged that way (see
    /// `isLiteralSafe`); every other string is double-quoted with escapes for quotes, backslashes, line breaks and
    /// characters YAML does not allow raw. Empty objects and arrays are written `{}` and `[]`. Whole numbers are
    /// written as integers and other numbers always with a fraction (`1.0e+20`), since YAML 1.1 reads `1e+20` as a
    /// string; a non-finite number, which JSON cannot express, is written as `null`. The text ends with a newline.
    public func yamlString(leadingKeys: [String] = []) -> String {
        var output = ""
        switch self {
        case .object(let members) where !members.isEmpty:
            Self.writeMapping(members, indent: 0, leadingKeys: leadingKeys, to: &output)
        case .array(let elements) where !elements.isEmpty:
            Self.writeSequence(elements, indent: 0, to: &output)
        case .string(let text) where Self.isLiteralSafe(text):
            output = Self.literalBlock(text, indent: 2)
        default:
            output = Self.yamlScalar(self) + "\n"
        }
        return output
    }

    /// The longest key written as an implicit `key: value`; YAML limits implicit keys to 1024 characters, so a
    /// longer one is written as an explicit `? key` entry.
    private static let implicitKeyLimit = 1000

    private static func writeMapping(
        _ members: [String: JSONValue], indent: Int, leadingKeys: [String] = [], to output: inout String
    ) {
        let leading = leadingKeys.filter { members[$0] != nil }
        let rest = members.keys.filter { !leading.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let padding = String(repeating: " ", count: indent)
        for key in leading + rest {
            let quotedKey = yamlText(key)
            if quotedKey.count > implicitKeyLimit {
                output += padding + "? " + quotedKey + "\n" + padding + ":"
            } else {
                output += padding + quotedKey + ":"
            }
            writeValue(members[key]!, after: indent, to: &output)
        }
    }

    private static func writeSequence(_ elements: [JSONValue], indent: Int, to output: inout String) {
        let padding = String(repeating: " ", count: indent)
        for element in elements {
            var block = ""
            switch element {
            case .object(let members) where !members.isEmpty:
                writeMapping(members, indent: indent + 2, to: &block)
            case .array(let nested) where !nested.isEmpty:
                writeSequence(nested, indent: indent + 2, to: &block)
            case .string(let text) where isLiteralSafe(text):
                output += padding + "- " + literalBlock(text, indent: indent + 2)
                continue
            default:
                output += padding + "- " + yamlScalar(element) + "\n"
                continue
            }
            // The block's first line starts with indent + 2 spaces: the item's `- ` takes the place of the last two.
            output += padding + "- " + block.dropFirst(indent + 2)
        }
    }

    /// Writes what follows `key:` — a scalar on the same line, or a nested block indented by two more spaces.
    private static func writeValue(_ value: JSONValue, after indent: Int, to output: inout String) {
        switch value {
        case .object(let members) where !members.isEmpty:
            output += "\n"
            writeMapping(members, indent: indent + 2, to: &output)
        case .array(let elements) where !elements.isEmpty:
            output += "\n"
            writeSequence(elements, indent: indent + 2, to: &output)
        case .string(let text) where isLiteralSafe(text):
            output += " " + literalBlock(text, indent: indent + 2)
        default:
            output += " " + yamlScalar(value) + "\n"
        }
    }

    /// Whether `text` reads back unchanged as a literal block (`|`): it spans lines, every character is printable
    /// (no tab, carriage return or Unicode line separator), no line ends with a space (which editors strip), its
    /// first line does not start with one (which would need an indentation indicator) and it ends with at most one
    /// line break.
    private static func isLiteralSafe(_ text: String) -> Bool {
        guard text.contains("\n"), !text.hasSuffix("\n\n"), !text.hasPrefix(" "), !text.hasPrefix("\n") else {
            return false
        }
        guard !text.unicodeScalars.contains(where: { needsEscape($0) && $0 != "\n" }) else { return false }
        return !text.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") }
    }

    /// A literal block scalar: `|-` (or `|` when the text ends with a line break), then each line indented by
    /// `indent` spaces, empty lines left empty.
    private static func literalBlock(_ text: String, indent: Int) -> String {
        let keepsFinalBreak = text.hasSuffix("\n")
        let body = keepsFinalBreak ? String(text.dropLast()) : text
        let padding = String(repeating: " ", count: indent)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : padding + $0 }
        return (keepsFinalBreak ? "|" : "|-") + "\n" + lines.joined(separator: "\n") + "\n"
    }

    /// A scalar, or an empty collection in flow style.
    private static func yamlScalar(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): yamlNumber(number)
        case .string(let text): yamlText(text)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// JSON's form of the number, with `.0` added before an exponent that has no fraction: YAML 1.1 needs the dot.
    private static func yamlNumber(_ number: Double) -> String {
        let text = JSONValue.number(number).jsonString()
        guard !text.contains("."), let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text
        }
        return String(text[..<exponent]) + ".0" + String(text[exponent...])
    }

    /// Words YAML 1.1 resolves to booleans or null when plain, compared in lowercase.
    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null"]

    /// The string plain when that is unambiguous, else double-quoted.
    private static func yamlText(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isASCIILetter(first), text.unicodeScalars.last != " " else {
            return false
        }
        let allowed = Set(" ._-/(),'".unicodeScalars)
        guard text.unicodeScalars.allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) || allowed.contains($0) }) else {
            return false
        }
        return !reservedWords.contains(text.lowercased())
    }

    /// A YAML double-quoted scalar: quotes, backslashes and every character that is not printable in YAML (control
    /// characters, DEL, C1 controls, the Unicode line and paragraph separators, the byte order mark, U+FFFE and
    /// U+FFFF) are escaped, so that the scalar stays on one line and reads back unchanged.
    private static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where needsEscape(scalar):
                let digits = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// Whether YAML cannot hold `scalar` raw in a double-quoted scalar on one line: control characters, DEL, C1
    /// controls, the Unicode line and paragraph separators, the byte order mark, U+FFFE and U+FFFF.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}": true
        default: false
        }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
