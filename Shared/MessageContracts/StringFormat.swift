/// The string formats a ``JSONSchema`` can require, with the checks behind them.
///
/// The checks are deliberately plain code rather than regular expressions so that each one says
/// exactly what it accepts.
public enum StringFormat: String, Sendable, CaseIterable {
    /// A calendar date, `YYYY-MM-DD`, that exists.
    case date
    /// An RFC 3339 date and time with an offset.
    case dateTime = "date-time"
    /// An email address of the usual `local@domain.tld` shape.
    case email
    /// A UUID, `8-4-4-4-12` hex digits in either case.
    case uuid
    /// An absolute URI: a scheme, a colon and no spaces.
    case uri

    /// Whether `text` has this format.
    public func matches(_ text: String) -> Bool {
        switch self {
        case .date: CalendarDate(text) != nil
        case .dateTime: RFC3339.parse(text) != nil
        case .email: Self.isEmail(text)
        case .uuid: Self.isUUID(text)
        case .uri: Self.isAbsoluteURI(text)
        }
    }

    /// What a value of this format looks like, for error messages.
    public var expectation: String {
        switch self {
        case .date: "a real calendar date written YYYY-MM-DD, like 2024-09-01"
        case .dateTime: "an RFC 3339 date and time with a time zone, like 2024-09-01T09:30:00Z"
        case .email: "an email address, like head@school.example.org"
        case .uuid: "a UUID, like 3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e04"
        case .uri: "an absolute URI, like https://school.example.org/npq-webhook"
        }
    }

    /// 36 characters: hex digits in groups of 8, 4, 4, 4 and 12 separated by hyphens.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard isHexDigit(byte) else { return false }
            }
        }
        return true
    }

    /// A sane address check, not the whole of RFC 5322: one `@`; a local part of up to 64
    /// characters from the unquoted set, without leading, trailing or doubled dots; a domain of
    /// letter-digit-hyphen labels with at least one dot and an alphabetic top-level label.
    static func isEmail(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254 else { return false }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        let localSymbols = Array("!#$%&'*+/=?^_`{|}~-.".utf8)
        guard (1...64).contains(local.count),
            local.allSatisfy({ isLetterOrDigit($0) || localSymbols.contains($0) }),
            local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
            !zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
        else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.count <= 253 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), label.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }),
                label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
        }
        let topLevel = labels[labels.count - 1]
        return topLevel.count >= 2 && topLevel.allSatisfy(isLetter)
    }

    /// A scheme (a letter, then letters, digits, `+`, `-` or `.`), a colon, and a non-empty rest
    /// without spaces or control characters.
    static func isAbsoluteURI(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < bytes.count,
            isLetter(bytes[0]),
            bytes[1..<colon].allSatisfy({ isLetterOrDigit($0) || Array("+-.".utf8).contains($0) })
        else { return false }
        return bytes[(colon + 1)...].allSatisfy { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
