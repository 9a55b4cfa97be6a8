/// One reply of an SMTP server: a three-digit code and one or more lines of text (RFC 5321 §4.2).
///
/// The text is the server's, as it said it: a reply to RCPT TO can repeat the recipient's address.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, 200 to 599.
    public let code: Int
    /// The text of each line, without the code, the separator and the line break.
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined by a space.
    public var text: String { lines.joined(separator: " ") }

    /// 2xx: the command succeeded.
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3xx: the server waits for more (354 after DATA, 334 during AUTH).
    public var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4xx: a failure that may go away if the client tries again later.
    public var isTransientNegative: Bool { (400..<500).contains(code) }
    /// 5xx: a failure that will happen again for the same request.
    public var isPermanentNegative: Bool { (500..<600).contains(code) }

    public var description: String { "\(code) \(text)" }
}
