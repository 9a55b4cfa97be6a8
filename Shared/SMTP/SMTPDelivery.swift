/// A message the server accepted for delivery.
public struct SMTPDelivery: Sendable, Hashable {
    /// The server's reply after the message content, e.g. `250 2.0.0 Ok: queued as 4Bq…` (the queue id is useful to
    /// trace the message in the server's logs).
    public let reply: SMTPReply
    /// The `Message-ID` the message carries, without angle brackets.
    public let messageID: String
    /// The size of the message in octets, as the server stores it.
    public let messageSize: Int
    /// The octets written after DATA: the message with dot-stuffing and the final `.` line.
    public let bytesSent: Int
    /// Whether the conversation was encrypted (STARTTLS or implicit TLS).
    public let encrypted: Bool
    /// Whether the client authenticated.
    public let authenticated: Bool

    public init(
        reply: SMTPReply, messageID: String, messageSize: Int, bytesSent: Int, encrypted: Bool, authenticated: Bool
    ) {
        self.reply = reply
        self.messageID = messageID
        self.messageSize = messageSize
        self.bytesSent = bytesSent
        self.encrypted = encrypted
        self.authenticated = authenticated
    }
}
