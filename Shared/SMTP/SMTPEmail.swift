import Foundation

/// One email to send: sender, recipients, subject, a plain-text body and optionally an HTML alternative.
///
/// ``render()`` turns it into the RFC 5322 message (see ``SMTPRenderedMessage``); ``SMTPClient/send(_:logger:)``
/// renders and delivers it. Everything that goes into a header is checked when rendering: a line break (CR or LF) in
/// any value the caller gives — subject, display names, addresses, extra headers — is refused with
/// ``SMTPError/Code/invalidMessage``, so no caller input can add a header.
public struct SMTPEmail: Sendable, Hashable {
    /// An extra header such as `X-NPQ-Notification-ID`. The name must be printable ASCII without a colon and must not
    /// be one the renderer writes itself; the value must be printable ASCII without line breaks (long values are
    /// folded at spaces).
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The author, the `From` header and the envelope sender (MAIL FROM).
    public var from: SMTPMailbox
    /// One or more recipients, the `To` header and the envelope recipients (RCPT TO).
    public var to: [SMTPMailbox]
    public var replyTo: SMTPMailbox?
    public var subject: String
    /// The plain-text body, always sent; line breaks may be LF or CRLF.
    public var textBody: String
    /// An HTML alternative: when given the message is `multipart/alternative` with the text first.
    public var htmlBody: String?
    /// `id-left@id-right`, without angle brackets (they are accepted and removed). Give a deterministic one (the
    /// notifications service derives it from the notification id) so a retried delivery carries the same id; when
    /// `nil`, the renderer generates a random one at the sender's domain.
    public var messageID: String?
    /// The `Date` header, written in UTC.
    public var date: Date
    /// Extra headers, written after the standard ones in this order.
    public var headers: [Header]

    public init(
        from: SMTPMailbox, to: [SMTPMailbox], replyTo: SMTPMailbox? = nil, subject: String, textBody: String,
        htmlBody: String? = nil, messageID: String? = nil, date: Date = Date(), headers: [Header] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = messageID
        self.date = date
        self.headers = headers
    }
}
