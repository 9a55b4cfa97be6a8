import Foundation
import NPQTestSupport
import Testing

@testable import SMTP

/// The RFC 5322 renderer on its own: exact bytes, dates, message ids, quoted-printable, encoded-words, multipart
/// and the refusal of header injection.
@Suite("Rendering an email")
struct SMTPEmailRenderingTests {
    static let julyFirst = Date(timeIntervalSince1970: 1_751_362_200)  // Tue, 01 Jul 2025 09:30:00 +0000

    static func email(
        subject: String = "Your NPQ application", text: String = "Hello\nWorld", html: String? = nil,
        toName: String? = "Rhiannon Ní Bhriain", messageID: String? = "notification-1@npq.example",
        headers: [SMTPEmail.Header] = [.init("X-NPQ-Notification-ID", "notification-1")]
    ) -> SMTPEmail {
        SMTPEmail(
            from: SMTPMailbox("noreply@npq.example", displayName: "NPQ Notifications"),
            to: [SMTPMailbox("rhiannon@example.org", displayName: toName)], subject: subject, textBody: text,
            htmlBody: html, messageID: messageID, date: julyFirst, headers: headers)
    }

    @Test("a text email renders to exactly these bytes")
    func golden() throws {
        let rendered = try SMTPEmailRenderingTests.email().render()
        let expected =
            "Date: Tue, 01 Jul 2025 09:30:00 +0000\r\n"
            + "From: NPQ Notifications <noreply@npq.example>\r\n"
            + "To: Rhiannon =?utf-8?q?N=C3=AD?= Bhriain <rhiannon@example.org>\r\n"
            + "Subject: Your NPQ application\r\n"
            + "Message-ID: <notification-1@npq.example>\r\n"
            + "X-NPQ-Notification-ID: notification-1\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + "Hello\r\n"
            + "World\r\n"
        #expect(String(decoding: rendered.bytes, as: UTF8.self) == expected)
        #expect(rendered.messageID == "notification-1@npq.example")
        #expect(rendered.sender == "noreply@npq.example")
        #expect(rendered.recipients == ["rhiannon@example.org"])
    }

    @Test(
        "the Date header is RFC 5322 in UTC",
        arguments: [
            (1_751_362_200, "Tue, 01 Jul 2025 09:30:00 +0000"),
            (951_827_696, "Tue, 29 Feb 2000 12:34:56 +0000"),
            (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
            (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
            (1_735_689_599, "Tue, 31 Dec 2024 23:59:59 +0000"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 +0000"),
        ])
    func dates(seconds: Int, expected: String) {
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: TimeInterval(seconds))) == expected)
    }

    @Test("a caller's message id is used without its angle brackets")
    func messageIDWithBrackets() throws {
        let rendered = try SMTPEmailRenderingTests.email(messageID: "<abc.123@npq.example>").render()
        #expect(rendered.messageID == "abc.123@npq.example")
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        #expect(MIMEReading.field("Message-ID", in: header) == "<abc.123@npq.example>")
    }

    @Test("without a message id a random one at the sender's domain is generated")
    func generatedMessageID() throws {
        let first = try SMTPEmailRenderingTests.email(messageID: nil).render()
        let second = try SMTPEmailRenderingTests.email(messageID: nil).render()
        #expect(first.messageID != second.messageID)
        #expect(first.messageID.hasSuffix("@npq.example"))
        #expect(first.messageID.wholeMatch(of: /[0-9a-f-]{36}@npq\.example/) != nil)
        let header = MIMEReading.split(String(decoding: first.bytes, as: UTF8.self)).header
        #expect(MIMEReading.field("Message-ID", in: header) == "<\(first.messageID)>")
    }

    @Test("a malformed message id is refused", arguments: ["no-at-sign", "two@at@signs", "a b@c", "<x@y", "a@"])
    func badMessageID(id: String) {
        #expect(throws: SMTPError.self) { try SMTPEmailRenderingTests.email(messageID: id).render() }
    }

    @Test(
        "quoted-printable escapes '=', trailing white space and non-ASCII, and keeps lines within 76",
        arguments: [
            ("a=b", "a=3Db\r\n"),
            ("trailing space \nnext", "trailing space=20\r\nnext\r\n"),
            ("tab\t", "tab=09\r\n"),
            ("inner space kept", "inner space kept\r\n"),
            ("café", "caf=C3=A9\r\n"),
            ("crlf\r\nand lone cr\rend", "crlf\r\nand lone cr\r\nend\r\n"),
            ("ends with newline\n", "ends with newline\r\n"),
            ("", ""),
            (".leading dot stays", ".leading dot stays\r\n"),
            (String(repeating: "a", count: 76), String(repeating: "a", count: 76) + "\r\n"),
            (String(repeating: "a", count: 77), String(repeating: "a", count: 75) + "=\r\naa\r\n"),
            (String(repeating: "a", count: 74) + "=", String(repeating: "a", count: 74) + "=\r\n=3D\r\n"),
        ])
    func quotedPrintable(text: String, expected: String) {
        #expect(QuotedPrintable.encode(text) == expected)
    }

    @Test("a 2,000-character line is split by soft breaks and decodes back exactly")
    func quotedPrintableLongLine() {
        let text = String(repeating: "Ní=ü ", count: 400)
        let encoded = QuotedPrintable.encode(text)
        #expect(MIMEReading.lineLengths(Array(encoded.utf8)).allSatisfy { $0 <= 76 })
        #expect(!encoded.contains("=_"))
        #expect(MIMEReading.decodeQuotedPrintable(encoded) == Array((text + "\r\n").utf8))
    }

    @Test("every line ends with CRLF, whatever line breaks the bodies use")
    func lineEndings() throws {
        let rendered = try SMTPEmailRenderingTests.email(
            text: "one\ntwo\r\nthree\rfour", html: "<p>one</p>\n<p>two</p>"
        ).render()
        #expect(MIMEReading.hasOnlyCRLF(rendered.bytes))
        #expect(rendered.bytes.suffix(2) == [0x0D, 0x0A])
        #expect(rendered.bytes.allSatisfy { $0 < 0x80 })
    }

    @Test("a non-ASCII subject and display name are encoded-words of at most 75 characters that decode back")
    func encodedWords() throws {
        let subject = "Rhiannon Ní Bhriain — NPQ für SENCOs ✓"
        let rendered = try SMTPEmailRenderingTests.email(subject: subject).render()
        let text = String(decoding: rendered.bytes, as: UTF8.self)
        let header = MIMEReading.split(text).header
        let rawSubject = try #require(MIMEReading.field("Subject", in: header))
        #expect(rawSubject.hasPrefix("=?utf-8?q?"))
        #expect(MIMEReading.decodeEncodedWords(rawSubject) == subject)
        let rawTo = try #require(MIMEReading.field("To", in: header))
        #expect(MIMEReading.decodeEncodedWords(rawTo) == "Rhiannon Ní Bhriain <rhiannon@example.org>")
        for word in text.matches(of: /=\?[^?]+\?[qQbB]\?[^?]*\?=/) { #expect(word.output.count <= 75) }
        #expect(MIMEReading.lineLengths(Array(header.utf8)).allSatisfy { $0 <= 76 })
    }

    @Test("a long non-ASCII subject folds into several encoded-words and decodes back exactly")
    func longEncodedSubject() throws {
        let subject = String(repeating: "Ŵyneb ✓ für SENCOs — ", count: 12) + "end"
        let rendered = try SMTPEmailRenderingTests.email(subject: subject).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        let subjectLines = header.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 3)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 76 })
        #expect(MIMEReading.decodeEncodedWords(try #require(MIMEReading.field("Subject", in: header))) == subject)
    }

    @Test(
        "ASCII text is written plainly, folded at spaces; text a reader could misread is encoded",
        arguments: [
            ("Your NPQ application", false),
            ("Looks like =?utf-8?q?an_encoded_word?=", true),
            ("  leading spaces", true),
            ("double  space", true),
            (String(repeating: "x", count: 80), true),
        ])
    func plainOrEncodedSubject(subject: String, encoded: Bool) throws {
        let rendered = try SMTPEmailRenderingTests.email(subject: subject).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        let raw = try #require(MIMEReading.field("Subject", in: header))
        #expect(raw.hasPrefix("=?utf-8?q?") == encoded)
        #expect(MIMEReading.decodeEncodedWords(raw) == subject)
    }

    @Test("a long ASCII subject folds at spaces within 78 characters and unfolds to the original")
    func longPlainSubject() throws {
        let subject = Array(repeating: "Reminder: register for the NPQ for SENCOs", count: 5).joined(separator: " ")
        let rendered = try SMTPEmailRenderingTests.email(subject: subject).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        #expect(MIMEReading.lineLengths(Array(header.utf8)).allSatisfy { $0 <= 78 })
        #expect(MIMEReading.field("Subject", in: header) == subject)
        #expect(header.components(separatedBy: "\r\n").filter { $0.hasPrefix(" ") }.count >= 2)
    }

    @Test(
        "display names are atoms, a quoted string or encoded-words",
        arguments: [
            ("Jane Smith", "Jane Smith <rhiannon@example.org>"),
            ("Smith, Jane", "\"Smith, Jane\" <rhiannon@example.org>"),
            ("Say \"hi\"", "\"Say \\\"hi\\\"\" <rhiannon@example.org>"),
        ])
    func displayNames(name: String, expected: String) throws {
        let rendered = try SMTPEmailRenderingTests.email(toName: name).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        #expect(MIMEReading.field("To", in: header) == expected)
    }

    @Test(
        "display names keep plain words as atoms and read back the same",
        arguments: [
            "Siân Jones", "Zoë", "Ní Bhriain, Rhiannon", "O'Brien", "Looks =?like?= a word", "Ann  Double-Space",
            "Αλέξανδρος Παπαδόπουλος-Γεωργίου της Θεσσαλονίκης", "田中 太郎", " leading space",
        ])
    func displayNamesReadBack(name: String) throws {
        let rendered = try SMTPEmailRenderingTests.email(toName: name).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        let to = try #require(MIMEReading.field("To", in: header))
        var decoded = MIMEReading.decodeEncodedWords(to)
        if decoded.hasPrefix("\"") {  // a quoted string
            decoded = String(decoded.dropFirst()).replacingOccurrences(of: "\" <", with: " <")
                .replacingOccurrences(of: "\\\"", with: "\"")
        }
        #expect(decoded == "\(name) <rhiannon@example.org>")
        #expect(MIMEReading.lineLengths(Array(header.utf8)).allSatisfy { $0 <= 78 })
        #expect(rendered.bytes.allSatisfy { $0 < 0x80 })
    }

    @Test("several recipients are comma-separated and folded")
    func severalRecipients() throws {
        var email = SMTPEmailRenderingTests.email()
        email.to = (1...6).map { SMTPMailbox("person\($0)@schools.example.org", displayName: "Person Number \($0)") }
        let rendered = try email.render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        #expect(MIMEReading.lineLengths(Array(header.utf8)).allSatisfy { $0 <= 78 })
        let to = try #require(MIMEReading.field("To", in: header))
        #expect(to.components(separatedBy: ", ").count == 6)
        #expect(rendered.recipients.count == 6)
    }

    @Test("text and HTML make multipart/alternative with a boundary that occurs nowhere in the parts")
    func multipart() throws {
        let longLine = String(repeating: "NPQ für SENCOs ", count: 134)  // 2,010 characters
        let html = "<p>\(longLine)</p>\n<p>a=b</p>"
        let rendered = try SMTPEmailRenderingTests.email(text: longLine + "\nsecond line", html: html).render()
        let message = String(decoding: rendered.bytes, as: UTF8.self)
        let (header, body) = MIMEReading.split(message)
        let contentType = try #require(MIMEReading.field("Content-Type", in: header))
        let boundary = try #require(contentType.firstMatch(of: /boundary="([^"]+)"/)).output.1
        #expect(contentType.hasPrefix("multipart/alternative;"))
        #expect(boundary.hasPrefix("=_"))
        let parts = body.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)  // preamble (empty), text, html, "--" epilogue
        #expect(parts[0].isEmpty)
        #expect(parts[3] == "--\r\n")
        // "\r\n" is one Character in Swift: drop the CRLFs around the parts by their UTF-8 octets.
        let textPart = MIMEReading.split(String(parts[1].utf8.dropFirst(2))!)
        let htmlPart = MIMEReading.split(String(parts[2].utf8.dropFirst(2))!)
        #expect(MIMEReading.field("Content-Type", in: textPart.header) == "text/plain; charset=utf-8")
        #expect(MIMEReading.field("Content-Type", in: htmlPart.header) == "text/html; charset=utf-8")
        #expect(MIMEReading.field("Content-Transfer-Encoding", in: htmlPart.header) == "quoted-printable")
        // Each part's content ends before the CRLF that precedes the next delimiter.
        let textContent = MIMEReading.decodeQuotedPrintable(String(textPart.body.utf8.dropLast(2))!)
        let htmlContent = MIMEReading.decodeQuotedPrintable(String(htmlPart.body.utf8.dropLast(2))!)
        #expect(String(decoding: textContent, as: UTF8.self) == longLine + "\r\nsecond line\r\n")
        #expect(
            String(decoding: htmlContent, as: UTF8.self) == html.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        #expect(MIMEReading.lineLengths(rendered.bytes).allSatisfy { $0 <= 78 })
        #expect(MIMEReading.lineLengths(rendered.bytes).max()! < 998)
    }

    @Test("the boundary is deterministic for a message id")
    func deterministicBoundary() throws {
        let first = try SMTPEmailRenderingTests.email(html: "<p>x</p>").render()
        let second = try SMTPEmailRenderingTests.email(html: "<p>x</p>").render()
        #expect(first.bytes == second.bytes)
    }

    @Test(
        "a line break in any header value is refused (no header injection)",
        arguments: [
            ("subject", SMTPEmailRenderingTests.email(subject: "Hello\r\nBcc: victim@example.org")),
            ("subject", SMTPEmailRenderingTests.email(subject: "Hello\nBcc: victim@example.org")),
            ("subject", SMTPEmailRenderingTests.email(subject: "Hello\rBcc: victim@example.org")),
            ("to[0] display name", SMTPEmailRenderingTests.email(toName: "Jane\r\nBcc: victim@example.org")),
            (
                "to[0]",
                {
                    var email = SMTPEmailRenderingTests.email()
                    email.to = [SMTPMailbox("rhiannon@example.org>\r\nRCPT TO:<victim@example.org")]
                    return email
                }()
            ),
            (
                "from",
                {
                    var email = SMTPEmailRenderingTests.email()
                    email.from = SMTPMailbox("noreply@npq.example\nBcc: victim@example.org")
                    return email
                }()
            ),
            (
                "headers[0] (X-Tracking)",
                SMTPEmailRenderingTests.email(headers: [.init("X-Tracking", "1\r\nBcc: victim@example.org")])
            ),
        ])
    func headerInjection(field: String, email: SMTPEmail) throws {
        let error = try #require(throws: SMTPError.self) { try email.render() }
        #expect(error.code == .invalidMessage)
        #expect(error.stage == .composition)
        #expect(error.isPermanent)
        #expect(error.message.hasPrefix(field))
        #expect(!error.description.contains("victim"))
    }

    @Test(
        "malformed addresses and extra headers are refused",
        arguments: [
            (
                "from",
                {
                    var email = SMTPEmailRenderingTests.email(); email.from = SMTPMailbox("no-at-sign"); return email
                }()
            ),
            (
                "to[0]",
                {
                    var email = SMTPEmailRenderingTests.email(); email.to = [SMTPMailbox("a b@example.org")];
                    return email
                }()
            ),
            (
                "to[0]",
                {
                    var email = SMTPEmailRenderingTests.email(); email.to = [SMTPMailbox("ní@example.org")];
                    return email
                }()
            ),
            (
                "to[0]",
                {
                    var email = SMTPEmailRenderingTests.email(); email.to = [SMTPMailbox("a@example..org")];
                    return email
                }()
            ),
            (
                "to:",
                {
                    var email = SMTPEmailRenderingTests.email(); email.to = []; return email
                }()
            ),
            ("headers[0]", SMTPEmailRenderingTests.email(headers: [.init("Bcc", "victim@example.org")])),
            ("headers[0]", SMTPEmailRenderingTests.email(headers: [.init("Content-Type", "text/html")])),
            ("headers[0]", SMTPEmailRenderingTests.email(headers: [.init("X Bad", "1")])),
            ("headers[0]", SMTPEmailRenderingTests.email(headers: [.init("X-Colon:", "1")])),
            ("headers[1]", SMTPEmailRenderingTests.email(headers: [.init("X-A", "1"), .init("x-a", "2")])),
            ("headers[0]", SMTPEmailRenderingTests.email(headers: [.init("X-Name", "Ní")])),
        ])
    func malformed(field: String, email: SMTPEmail) throws {
        let error = try #require(throws: SMTPError.self) { try email.render() }
        #expect(error.code == .invalidMessage)
        #expect(error.message.hasPrefix(field))
    }

    @Test("a long extra header value folds at spaces")
    func longExtraHeader() throws {
        let value = Array(repeating: "token", count: 40).joined(separator: " ")
        let rendered = try SMTPEmailRenderingTests.email(headers: [.init("X-NPQ-Tags", value)]).render()
        let header = MIMEReading.split(String(decoding: rendered.bytes, as: UTF8.self)).header
        #expect(MIMEReading.lineLengths(Array(header.utf8)).allSatisfy { $0 <= 78 })
        #expect(MIMEReading.field("X-NPQ-Tags", in: header) == value)
    }
}
