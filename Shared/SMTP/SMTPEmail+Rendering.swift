import Foundation

extension SMTPEmail {
    /// The header names the renderer writes itself (lowercased); extra headers may not use them.
    static let reservedHeaderNames: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id", "mime-version",
    ]

    /// Renders the RFC 5322 message.
    ///
    /// - Headers, in this order: `Date` (UTC), `From`, `Reply-To` (when given), `To`, `Subject`, `Message-ID`, the
    ///   extra headers, `MIME-Version: 1.0`, `Content-Type`, `Content-Transfer-Encoding`.
    /// - The subject is written as is when it is printable ASCII with single spaces and no very long word, and as
    ///   RFC 2047 "Q" encoded-words in UTF-8 otherwise (non-ASCII text, or anything a reader could misread). Display
    ///   names are atoms, a quoted string, or encoded-words by the same logic. Long fields are folded.
    /// - Bodies are always `quoted-printable` UTF-8 (one rule for all text: it survives any relay and keeps every
    ///   line within 76 characters). Text alone is `text/plain; charset=utf-8`; with HTML it is
    ///   `multipart/alternative`, text first, with a boundary starting `=_`, which quoted-printable cannot produce.
    ///
    /// Throws ``SMTPError/Code/invalidMessage`` (stage ``SMTPStage/composition``) naming the field that is wrong:
    /// a CR or LF in any value (header injection), a malformed address or message id, a reserved or malformed extra
    /// header name, no recipient.
    public func render() throws(SMTPError) -> SMTPRenderedMessage {
        try Self.checkMailbox(from, field: "from")
        guard !to.isEmpty else { throw .invalidMessage("to: at least one recipient is needed") }
        for (index, mailbox) in to.enumerated() { try Self.checkMailbox(mailbox, field: "to[\(index)]") }
        if let replyTo { try Self.checkMailbox(replyTo, field: "replyTo") }
        try Self.checkHeaderText(subject, field: "subject")

        let messageID = try resolvedMessageID()
        var header = ""
        header += "Date: \(RFC5322Date.format(date))\r\n"
        header += Self.addressField("From", [from])
        if let replyTo { header += Self.addressField("Reply-To", [replyTo]) }
        header += Self.addressField("To", to)
        var subjectField = HeaderFolder(name: "Subject")
        if !subject.isEmpty { subjectField.appendText(subject) }
        header += subjectField.field
        header += "Message-ID: <\(messageID)>\r\n"
        var seen: Set<String> = []
        for (index, extra) in headers.enumerated() {
            header += try Self.extraField(extra, field: "headers[\(index)]", seen: &seen)
        }
        header += "MIME-Version: 1.0\r\n"

        let text = QuotedPrintable.encode(textBody)
        let textHeaders = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        var message: String
        if let htmlBody {
            let html = QuotedPrintable.encode(htmlBody)
            let boundary = Self.boundary(messageID: messageID, avoiding: [text, html])
            message = header + "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n"
            message += "--\(boundary)\r\n" + textHeaders + "\r\n" + text
            message += "\r\n--\(boundary)\r\n"
            message += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            message += "\r\n" + html
            message += "\r\n--\(boundary)--\r\n"
        } else {
            message = header + textHeaders + "\r\n" + text
        }
        let bytes = Array(message.utf8)
        try Self.checkLines(bytes)
        return SMTPRenderedMessage(
            bytes: bytes, messageID: messageID, sender: from.address, recipients: to.map(\.address))
    }

    /// The caller's message id without angle brackets, checked, or a random one at the sender's domain.
    func resolvedMessageID() throws(SMTPError) -> String {
        guard var id = messageID else {
            let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
            return "\(UUID().uuidString.lowercased())@\(domain)"
        }
        if id.hasPrefix("<"), id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        let allowed = id.utf8.allSatisfy { (0x21...0x7E).contains($0) && !"<>\"\\()[],;:".utf8.contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, allowed, id.utf8.count <= 250 else {
            throw .invalidMessage(
                "messageID: expected id-left@id-right in printable ASCII without spaces, brackets or line breaks")
        }
        return id
    }

    /// Refuses line breaks (the header-injection risk) and NUL in a value that goes into a header.
    static func checkHeaderText(_ text: String, field: String) throws(SMTPError) {
        if text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
            throw .invalidMessage("\(field): line breaks (CR, LF) and NUL are not allowed in a header")
        }
    }

    /// Checks a mailbox's address and that its display name has no line break.
    static func checkMailbox(_ mailbox: SMTPMailbox, field: String) throws(SMTPError) {
        try checkAddress(mailbox.address, field: field)
        if let displayName = mailbox.displayName { try checkHeaderText(displayName, field: "\(field) display name") }
    }

    /// Checks a plain ASCII `local@domain` (dot-atom local part; this client does not send quoted local parts or
    /// SMTPUTF8).
    static func checkAddress(_ address: String, field: String) throws(SMTPError) {
        try checkHeaderText(address, field: field)
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        func dotAtom(_ text: Substring, allowed: Set<UInt8>) -> Bool {
            let atoms = text.split(separator: ".", omittingEmptySubsequences: false)
            return atoms.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(allowed.contains) }
        }
        let domainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        guard parts.count == 2, address.utf8.count <= 254, parts[0].utf8.count <= 64,
            dotAtom(parts[0], allowed: atext), dotAtom(parts[1], allowed: domainCharacters)
        else {
            throw .invalidMessage(
                "\(field): not a plain ASCII address local@domain (internationalised domains go in xn-- form)")
        }
    }

    /// `Name: mailbox, mailbox` with each display name written as atoms, a quoted string or encoded-words.
    static func addressField(_ name: String, _ mailboxes: [SMTPMailbox]) -> String {
        var folder = HeaderFolder(name: name)
        for (index, mailbox) in mailboxes.enumerated() {
            let separator = index == mailboxes.count - 1 ? "" : ","
            guard let displayName = mailbox.displayName, !displayName.isEmpty else {
                folder.append(mailbox.address + separator)
                continue
            }
            let atoms = displayName.split(separator: " ", omittingEmptySubsequences: false)
            if displayName.utf8.allSatisfy({ (0x20...0x7E).contains($0) }), displayName.utf8.count <= 64,
                !displayName.contains("=?"), !atoms.allSatisfy(HeaderFolder.isAtom)
            {
                // Printable ASCII with specials ("Smith, Jane"): a quoted string.
                let escaped = displayName.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"")
                folder.append("\"\(escaped)\"")
            } else {
                folder.appendPhrase(displayName)
            }
            folder.append("<\(mailbox.address)>" + separator)
        }
        return folder.field
    }

    /// An extra header: a checked name, a printable-ASCII value folded at spaces when long.
    static func extraField(_ header: Header, field: String, seen: inout Set<String>) throws(SMTPError) -> String {
        let lowered = header.name.lowercased()
        guard !header.name.isEmpty, header.name.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != 0x3A }),
            header.name.utf8.count <= 76
        else {
            throw .invalidMessage("\(field): a header name is printable ASCII without spaces or ':'")
        }
        guard !reservedHeaderNames.contains(lowered), !lowered.hasPrefix("content-") else {
            throw .invalidMessage("\(field): \(header.name) is written by the renderer and cannot be given")
        }
        guard seen.insert(lowered).inserted else {
            throw .invalidMessage("\(field): \(header.name) is given twice")
        }
        try checkHeaderText(header.value, field: "\(field) (\(header.name))")
        guard header.value.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 }) else {
            throw .invalidMessage("\(field) (\(header.name)): the value must be printable ASCII")
        }
        let line = "\(header.name): \(header.value)"
        if line.utf8.count <= HeaderFolder.preferredLineLength
            || !HeaderFolder.canWritePlain(header.value, longestWord: 900)
        {
            return line + "\r\n"
        }
        var folder = HeaderFolder(name: header.name)
        for word in header.value.split(separator: " ") { folder.append(String(word)) }
        return folder.field
    }

    /// `=_NPQ_` and a hash of the message id: deterministic, and (starting with `=_`) impossible in
    /// quoted-printable parts; checked against the parts all the same.
    static func boundary(messageID: String, avoiding parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let base = "=_NPQ_" + String(hash, radix: 16)
        var candidate = base
        var attempt = 0
        while parts.contains(where: { $0.contains(candidate) }) {
            attempt += 1
            candidate = "\(base)_\(attempt)"
        }
        return candidate
    }

    /// Refuses a rendering with a line over 998 octets or a bare CR or LF (neither should be possible).
    static func checkLines(_ bytes: [UInt8]) throws(SMTPError) {
        var length = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else {
                    throw .invalidMessage("rendering produced a bare CR")
                }
                length = 0
                index += 2
                continue
            }
            guard byte != 0x0A else { throw .invalidMessage("rendering produced a bare LF") }
            length += 1
            guard length <= 998 else {
                throw .invalidMessage("a header line is longer than 998 octets even when folded")
            }
            index += 1
        }
    }
}
