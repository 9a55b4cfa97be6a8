/// Quoted-printable body encoding (RFC 2045 §6.7) of UTF-8 text, with CRLF line endings.
///
/// Every line break of the text (LF, CRLF or a lone CR) becomes a CRLF hard break, and every line, the last
/// included, ends with one. Octets 33–126 except `=` stay as they are; `=` and every other octet become `=XX`; a
/// space or tab stays unless it ends a line, where it becomes `=20`/`=09` (trailing white space may be stripped in
/// transit). Encoded lines are at most 76 characters, split with soft breaks (`=` CRLF) never inside an `=XX`.
///
/// The output never contains `=_`, so a multipart boundary that starts with `=_` cannot occur in it.
enum QuotedPrintable {
    static let maximumLineLength = 76

    static func encode(_ text: String) -> String {
        var output = ""
        for line in lines(of: Array(text.utf8)) {
            encodeLine(line, into: &output)
        }
        return output
    }

    /// The lines of `bytes`, split at CRLF, LF or CR; a final line break does not start another (empty) line.
    static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(bytes[start..<index])
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout String) {
        var current = ""
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let token: String
            switch byte {
            case 0x21...0x3C, 0x3E...0x7E: token = String(UnicodeScalar(byte))
            case 0x20, 0x09: token = isLast ? "=" + HeaderFolder.hexByte(byte) : String(UnicodeScalar(byte))
            default: token = "=" + HeaderFolder.hexByte(byte)
            }
            // The last token may fill the line to 76; any other leaves room for the soft break's "=".
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if current.utf8.count + token.utf8.count > limit {
                output += current + "=\r\n"
                current = ""
            }
            current += token
        }
        output += current + "\r\n"
    }
}
