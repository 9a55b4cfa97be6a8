import Foundation

/// Reading rendered messages back, independently of the renderer: header fields unfolded, RFC 2047 encoded-words
/// and quoted-printable decoded. Only as much of MIME as the tests need.
public enum MIMEReading {
    /// The header block and the body, split at the first empty line.
    public static func split(_ message: String) -> (header: String, body: String) {
        guard let range = message.range(of: "\r\n\r\n") else { return (message, "") }
        return (String(message[..<range.lowerBound]) + "\r\n", String(message[range.upperBound...]))
    }

    /// The header fields, unfolded (each CRLF followed by white space removed), values without the leading space.
    public static func fields(_ header: String) -> [(name: String, value: String)] {
        let unfolded = header.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(
            of: "\r\n\t", with: "\t")
        return unfolded.components(separatedBy: "\r\n").filter { !$0.isEmpty }.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            var value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
            return (String(line[..<colon]), String(value))
        }
    }

    /// The value of the first field called `name` (case-insensitive).
    public static func field(_ name: String, in header: String) -> String? {
        fields(header).first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Decodes RFC 2047 encoded-words (UTF-8, Q or B); white space between two encoded-words is dropped.
    public static func decodeEncodedWords(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "=\\?([^?]+)\\?([qQbB])\\?([^?]*)\\?=")
        var result = ""
        var cursor = value.startIndex
        var previousWasEncoded = false
        let nsValue = value as NSString
        for match in pattern.matches(in: value, range: NSRange(location: 0, length: nsValue.length)) {
            let range = Range(match.range, in: value)!
            let between = String(value[cursor..<range.lowerBound])
            if !(previousWasEncoded && between.allSatisfy(\.isWhitespace)) { result += between }
            let encoding = nsValue.substring(with: match.range(at: 2)).uppercased()
            let text = nsValue.substring(with: match.range(at: 3))
            let bytes: [UInt8]
            if encoding == "B" {
                bytes = Array(Data(base64Encoded: text) ?? Data())
            } else {
                bytes = decodeQuotedPrintable(text.replacingOccurrences(of: "_", with: " "))
            }
            result += String(decoding: bytes, as: UTF8.self)
            cursor = range.upperBound
            previousWasEncoded = true
        }
        result += value[cursor...]
        return result
    }

    /// Decodes quoted-printable: `=XX` escapes and soft line breaks (`=` CRLF).
    public static func decodeQuotedPrintable(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < input.count, input[index + 1] == 0x0D, input[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if index + 2 < input.count,
                    let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    output.append(value)
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// The length of every line of `bytes` (without its CRLF).
    public static func lineLengths(_ bytes: [UInt8]) -> [Int] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").map(\.utf8.count)
    }

    /// Whether every LF is preceded by CR and every CR followed by LF.
    public static func hasOnlyCRLF(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A, index == 0 || bytes[index - 1] != 0x0D { return false }
            if byte == 0x0D, index + 1 >= bytes.count || bytes[index + 1] != 0x0A { return false }
        }
        return true
    }
}
