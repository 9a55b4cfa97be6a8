import Foundation

/// Reads comma-separated text as RFC 4180 describes it, tolerating what spreadsheet exports and DfE's downloads add:
/// a UTF-8 byte-order mark, CRLF, LF or CR line ends, quoted fields (with doubled quotes, commas and line breaks
/// inside) and blank lines. Text that is not valid UTF-8 is read as Windows-1252, the encoding of GIAS's extracts.
///
/// Fields are kept as byte ranges and turned into text only when asked for, so that a 60 MB GIAS extract with a
/// hundred columns costs one pass over its bytes and a string for each column that is used.
struct CSVReader {
    /// One field of a record: where its text is, and whether it was quoted with doubled quotes inside.
    struct Field {
        var start: Int
        var end: Int
        var hasEscapedQuotes: Bool
    }

    /// One record: the line it starts on (1-based, counting every line of the file) and its fields.
    struct Record {
        var line: Int
        var fields: [Field]
    }

    private let bytes: [UInt8]
    private let start: Int
    private let isUTF8: Bool
    private let file: String
    private let code: EligibilityError.Code

    /// Prepares to read `data`; `file` and `code` label the errors.
    init(_ data: Data, file: String, code: EligibilityError.Code) {
        bytes = [UInt8](data)
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        isUTF8 = String(validating: bytes[start...], as: UTF8.self) != nil
        self.file = file
        self.code = code
    }

    /// The text of `field`, with doubled quotes undone and surrounding spaces and tabs removed.
    func text(_ field: Field) -> String {
        var slice = bytes[field.start..<field.end]
        // Undone on the bytes: in text, a quote followed by a combining mark is one character, not a quote.
        if field.hasEscapedQuotes { slice = Self.undoublingQuotes(slice) }
        let text = isUTF8 ? String(decoding: slice, as: UTF8.self) : String(windows1252: slice)
        return text.trimmingCharacters(in: CSVReader.padding)
    }

    /// A quoted field's bytes with each doubled quote made single; inside a quoted field every quote is doubled.
    private static func undoublingQuotes(_ escaped: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(escaped.count)
        var skipNextQuote = false
        for byte in escaped {
            if byte == UInt8(ascii: "\""), skipNextQuote {
                skipNextQuote = false
                continue
            }
            skipNextQuote = byte == UInt8(ascii: "\"")
            unescaped.append(byte)
        }
        return unescaped[...]
    }

    /// The text of field `index` of `record`, or `""` when the record is shorter.
    func text(_ record: Record, _ index: Int) -> String {
        index < record.fields.count ? text(record.fields[index]) : ""
    }

    /// Whether every field of `record` is empty, as on a blank line or a row of commas.
    func isBlank(_ record: Record) -> Bool {
        record.fields.allSatisfy { field in
            bytes[field.start..<field.end].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        }
    }

    /// Calls `body` with each record in order, blank ones included.
    ///
    /// - Throws: an ``EligibilityError`` for a quoted field that is never closed or that has text after its closing
    ///   quote, or whatever `body` throws.
    func forEachRecord(_ body: (Record) throws(EligibilityError) -> Void) throws(EligibilityError) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = bytes.count
        var index = start
        var line = 1
        var record = Record(line: 1, fields: [])
        while index < count {
            record.line = line
            record.fields.removeAll(keepingCapacity: true)
            while true {
                if index < count, bytes[index] == quote {
                    let opened = line
                    index += 1
                    let fieldStart = index
                    var escaped = false
                    while true {
                        guard index < count else {
                            throw EligibilityError(
                                code, file: file, line: opened,
                                "field \(record.fields.count + 1) opens a quote that is never closed")
                        }
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < count, bytes[index + 1] == quote {
                                escaped = true
                                index += 2
                                continue
                            }
                            break
                        }
                        if byte == lf || (byte == cr && (index + 1 == count || bytes[index + 1] != lf)) { line += 1 }
                        index += 1
                    }
                    record.fields.append(Field(start: fieldStart, end: index, hasEscapedQuotes: escaped))
                    index += 1
                    if index < count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                        throw EligibilityError(
                            code, file: file, line: line,
                            "field \(record.fields.count) has text after its closing quote; a quote inside a quoted "
                                + "field is written twice (\"\")")
                    }
                } else {
                    let fieldStart = index
                    while index < count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf { index += 1 }
                    record.fields.append(Field(start: fieldStart, end: index, hasEscapedQuotes: false))
                }
                if index < count, bytes[index] == comma {
                    index += 1
                    continue
                }
                break
            }
            if index < count {
                if bytes[index] == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                index += 1
            }
            line += 1
            try body(record)
        }
    }

    /// The position of the column headed `name` in `header`, ignoring case and surrounding spaces.
    static func column(_ name: String, in header: [String]) -> Int? {
        let wanted = name.lowercased()
        return header.firstIndex { $0.lowercased() == wanted }
    }

    /// The headers found, quoted, for a message: at most 12, then how many more.
    static func describe(_ header: [String]) -> String {
        let shown = header.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        return header.count > 12 ? "\(shown) and \(header.count - 12) more" : shown
    }

    private static let padding = CharacterSet(charactersIn: " \t")
}

extension String {
    /// Decodes Windows-1252 bytes (a superset of ISO 8859-1 used by Excel and GIAS exports).
    fileprivate init(windows1252 bytes: ArraySlice<UInt8>) {
        self = String(data: Data(bytes), encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }
}
