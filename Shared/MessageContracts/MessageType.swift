import Foundation

/// The identity of a message type on the wire: a dotted name and a version.
///
/// Its text form, `npq.<name>.v<version>`, is the AMQP `type` property and the CloudEvents type;
/// its routing key drops the `npq.` prefix. Parsing is strict so that a consumer can tell an
/// unknown type from a malformed one.
public struct MessageType: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The prefix every type name starts with.
    public static let typeNamePrefix = "npq."

    /// The dotted lowercase name, e.g. `"application.submitted"`.
    public let name: String

    /// The version, 1 or more.
    public let version: Int

    /// Creates a message type from a name and version that are known to be valid.
    ///
    /// Contract declarations call this with constants, so an invalid name is a programming error
    /// that the catalog tests catch; use ``init(typeName:)`` for text that arrives from outside.
    public init(name: String, version: Int) {
        precondition(Self.isValidName(name), "message name '\(name)' must be lowercase words separated by '.' or '-'")
        precondition(version >= 1, "message version must be 1 or more, got \(version)")
        self.name = name
        self.version = version
    }

    /// Parses `npq.<name>.v<N>`, returning `nil` for anything that does not follow that form exactly.
    ///
    /// The name must be lowercase words (a letter, then letters or digits) separated by single dots
    /// or hyphens, none of them looking like a version; `N` is a decimal integer of 1 or more with no
    /// leading zero.
    public init?(typeName: String) {
        guard typeName.hasPrefix(Self.typeNamePrefix) else { return nil }
        let rest = typeName.dropFirst(Self.typeNamePrefix.count)
        guard let versionMarker = rest.range(of: ".v", options: .backwards) else { return nil }
        let name = String(rest[..<versionMarker.lowerBound])
        let digits = rest[versionMarker.upperBound...]
        guard Self.isValidName(name), let version = Self.parseVersion(digits) else { return nil }
        self.name = name
        self.version = version
    }

    /// The AMQP `type` property, e.g. `"npq.application.submitted.v1"`.
    public var typeName: String {
        "\(Self.typeNamePrefix)\(name).v\(version)"
    }

    /// The topic routing key, e.g. `"application.submitted.v1"`.
    public var routingKey: String {
        "\(name).v\(version)"
    }

    /// The type name.
    public var description: String {
        typeName
    }

    /// Decodes from the type name string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = MessageType(typeName: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a message type of the form npq.<name>.v<version>")
        }
        self = parsed
    }

    /// Encodes as the type name string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(typeName)
    }

    /// Whether `name` is lowercase words separated by single dots or hyphens.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        var word: [UInt8] = []
        var words: [[UInt8]] = []
        for byte in name.utf8 {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                words.append(word)
                word = []
            } else {
                word.append(byte)
            }
        }
        words.append(word)
        return words.allSatisfy(isValidWord)
    }

    /// A word starts with a letter and goes on with letters or digits; `v1`-like words are refused
    /// because they would make `npq.x.v1.v2` ambiguous to a reader.
    private static func isValidWord(_ word: [UInt8]) -> Bool {
        guard let first = word.first, isLowercaseLetter(first) else { return false }
        guard word.allSatisfy({ isLowercaseLetter($0) || isDigit($0) }) else { return false }
        let looksLikeVersion = first == UInt8(ascii: "v") && word.count > 1 && word.dropFirst().allSatisfy(isDigit)
        return !looksLikeVersion
    }

    /// Parses a version number: decimal digits, no sign, no leading zero, 1 or more.
    private static func parseVersion(_ digits: Substring) -> Int? {
        guard let first = digits.utf8.first, first != UInt8(ascii: "0"), digits.utf8.allSatisfy(isDigit) else {
            return nil
        }
        return Int(digits)
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
