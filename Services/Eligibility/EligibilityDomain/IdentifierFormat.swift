/// The shape of an identifier in a reference list or an application's answers.
///
/// - `urn`: a school's Unique Reference Number in GIAS, exactly 6 digits (`100000`).
/// - `ukprn`: a UK Provider Reference Number from the UK Register of Learning Providers, exactly 8 digits
///   (`10001234`).
/// - `ofstedURN`: an Ofsted registration of an early years or childcare provider: two letters and 6 digits (`EY123456`,
///   `CA000006`; letters in either case, kept upper case) or 6 or 7 digits (`225540`, `2512345`). A school's 6-digit
///   URN has this shape too, which is why the disadvantaged early years list, which names schools and private
///   providers alike, uses it.
///
/// Surrounding spaces are ignored; nothing else is corrected (a URN that lost a leading digit in a spreadsheet is
/// refused, not padded, because padding could make it another school's).
public enum IdentifierFormat: String, Sendable, CaseIterable {
    case urn
    case ukprn
    case ofstedURN = "ofsted_urn"

    /// The identifier as kept in the lists (trimmed; Ofsted letters upper case), or `nil` when `text` does not have
    /// this shape.
    public func normalise(_ text: String) -> String? {
        let trimmed = Self.trimmed(text)
        let bytes = Array(trimmed.utf8)
        func digits(_ part: ArraySlice<UInt8>) -> Bool {
            part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        switch self {
        case .urn:
            return bytes.count == 6 && digits(bytes[...]) ? trimmed : nil
        case .ukprn:
            return bytes.count == 8 && digits(bytes[...]) ? trimmed : nil
        case .ofstedURN:
            if (bytes.count == 6 || bytes.count == 7) && digits(bytes[...]) { return trimmed }
            let letters = bytes.prefix(2).allSatisfy {
                ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
            }
            return bytes.count == 8 && letters && digits(bytes.dropFirst(2)) ? trimmed.uppercased() : nil
        }
    }

    /// `text` without surrounding spaces and tabs; checked on its bytes, as Foundation's trimming is slow on Linux.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func padding(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.first, let last = utf8.last, padding(first) || padding(last) else { return text }
        guard let start = utf8.firstIndex(where: { !padding($0) }), let end = utf8.lastIndex(where: { !padding($0) })
        else { return "" }
        return String(decoding: utf8[start...end], as: UTF8.self)
    }

    /// The rule in words, for error messages: "a URN is 6 digits".
    public var rule: String {
        switch self {
        case .urn: "a URN is 6 digits, e.g. 100000"
        case .ukprn: "a UKPRN is 8 digits, e.g. 10001234"
        case .ofstedURN: "an Ofsted URN is two letters and 6 digits (e.g. EY123456) or 6 or 7 digits"
        }
    }
}
