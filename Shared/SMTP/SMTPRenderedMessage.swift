/// An ``SMTPEmail`` rendered as the RFC 5322 message that goes after DATA, with its envelope.
///
/// Made by ``SMTPEmail/render()``; the public initialiser is for tests and fakes. ``SMTPClient`` checks the envelope
/// addresses again before it sends, so no line break can reach the SMTP commands.
public struct SMTPRenderedMessage: Sendable, Hashable {
    /// The message: 7-bit ASCII, CRLF line endings, no line over 998 octets, ending with CRLF. Not dot-stuffed:
    /// these are the bytes the server stores.
    public let bytes: [UInt8]
    /// The `Message-ID` without angle brackets: the caller's, or the one generated.
    public let messageID: String
    /// The envelope sender (MAIL FROM).
    public let sender: String
    /// The envelope recipients (RCPT TO), in order.
    public let recipients: [String]

    public init(bytes: [UInt8], messageID: String, sender: String, recipients: [String]) {
        self.bytes = bytes
        self.messageID = messageID
        self.sender = sender
        self.recipients = recipients
    }
}
