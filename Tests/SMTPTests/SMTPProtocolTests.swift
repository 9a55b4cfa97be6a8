import Testing

@testable import SMTP

/// The pieces of the conversation that need no server: reply parsing, EHLO capabilities, dot-stuffing, error text.
@Suite("SMTP protocol pieces")
struct SMTPProtocolTests {
    @Test("a multi-line reply becomes one reply with every line")
    func multiLine() throws {
        var parser = SMTPReplyParser()
        let replies = try parser.feed(
            Array("250-smtp.example.org\r\n250-SIZE 1000\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n".utf8))
        #expect(
            replies == [SMTPReply(code: 250, lines: ["smtp.example.org", "SIZE 1000", "STARTTLS", "AUTH PLAIN LOGIN"])])
        let capabilities = SMTPCapabilities(ehloReply: replies[0])
        #expect(capabilities.startTLS)
        #expect(capabilities.authenticationMechanisms == ["PLAIN", "LOGIN"])
        #expect(capabilities.maximumSize == 1000)
        #expect(!parser.hasBufferedData)
    }

    @Test("replies split anywhere across reads, with bare LF or no text, still parse")
    func splitReads() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed(Array("220 ready\r".utf8)).isEmpty)
        #expect(parser.hasBufferedData)
        #expect(try parser.feed(Array("\n250-a\n".utf8)) == [SMTPReply(code: 220, lines: ["ready"])])
        #expect(
            try parser.feed(Array("250\r\n354 go ahead\r\n".utf8)) == [
                SMTPReply(code: 250, lines: ["a", ""]), SMTPReply(code: 354, lines: ["go ahead"]),
            ])
    }

    @Test(
        "a reply that is not SMTP is refused",
        arguments: ["HTTP/1.1 400 Bad Request\r\n", "25 short\r\n", "250-a\r\n251 b\r\n", "250x\r\n", "999 no\r\n"])
    func malformed(text: String) {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.MalformedReply.self) { try parser.feed(Array(text.utf8)) }
    }

    @Test("an endless line is refused rather than buffered")
    func endlessLine() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.MalformedReply.self) {
            try parser.feed([UInt8](repeating: UInt8(ascii: "2"), count: 5000))
        }
    }

    @Test("lines that start with '.' get another '.', and the content ends with '.' CRLF")
    func dotStuffing() {
        let stuffed = SMTPClient.dotStuffed(Array(".\r\n.hidden\r\n..two\r\nplain.\r\n".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..\r\n..hidden\r\n...two\r\nplain.\r\n.\r\n")
    }

    @Test("an error's description hides the addresses a server repeats")
    func redaction() {
        let reply = SMTPReply(code: 550, lines: ["5.1.1 <rhiannon@example.org>: Recipient address rejected"])
        let error = SMTPError.rejected(reply, stage: .rcpt, "the server refused a recipient")
        #expect(error.isPermanent)
        #expect(error.description.contains("550 5.1.1 <[address]>: Recipient address rejected"))
        #expect(!error.description.contains("rhiannon"))
        #expect(error.reply?.text.contains("rhiannon@example.org") == true)
        #expect(SMTPError.rejected(SMTPReply(code: 451, lines: ["later"]), stage: .message, "x").isTransient)
    }
}
