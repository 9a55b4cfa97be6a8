import Foundation

extension JSONValue {
    /// The value as JSON text with object keys sorted, so that equal values always give equal bytes.
    ///
    /// Written by hand instead of with `JSONSerialization` because that class's pretty-printing
    /// differs between platforms, and golden fixtures must be byte-for-byte stable. Pretty output
    /// indents by two spaces and writes `"key": value`. Slashes and non-ASCII text are not escaped.
    /// A non-finite number, which JSON cannot express, is written as `null`.
    public func jsonString(prettyPrinted: Bool = false) -> String {
        var output = ""
        write(to: &output, prettyPrinted: prettyPrinted, indent: 0)
        return output
    }

    /// ``jsonString(prettyPrinted:)`` as UTF-8 bytes.
    public func jsonData(prettyPrinted: Bool = false) -> Data {
        Data(jsonString(prettyPrinted: prettyPrinted).utf8)
    }

    private func write(to output: inout String, prettyPrinted: Bool, indent: Int) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .integer(let value):
            output += String(value)
        case .number(let value):
            output += Self.format(value)
        case .string(let value):
            Self.appendQuoted(value, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, element) in elements.enumerated() {
                output += position == 0 ? "" : ","
                Self.newline(&output, prettyPrinted: prettyPrinted, indent: indent + 1)
                element.write(to: &output, prettyPrinted: prettyPrinted, indent: indent + 1)
            }
            Self.newline(&output, prettyPrinted: prettyPrinted, indent: indent)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            // Byte order of the UTF-8 keys, which is the same on every platform and locale.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (position, key) in keys.enumerated() {
                output += position == 0 ? "" : ","
                Self.newline(&output, prettyPrinted: prettyPrinted, indent: indent + 1)
                Self.appendQuoted(key, to: &output)
                output += prettyPrinted ? ": " : ":"
                members[key]!.write(to: &output, prettyPrinted: prettyPrinted, indent: indent + 1)
            }
            Self.newline(&output, prettyPrinted: prettyPrinted, indent: indent)
            output += "}"
        }
    }

    private static func newline(_ output: inout String, prettyPrinted: Bool, indent: Int) {
        guard prettyPrinted else { return }
        output += "\n" + String(repeating: "  ", count: indent)
    }

    /// Whole numbers print without a fraction; others use Swift's shortest round-tripping form.
    private static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// Appends `text` as a JSON string literal, escaping quotes, backslashes and control characters (RFC 8259 §7).
    /// Shared by everything that writes JSON by hand (the structured log handler too), so there is one escaper.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}":
                let digits = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
