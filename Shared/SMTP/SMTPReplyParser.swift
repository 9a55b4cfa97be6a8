/// Assembles replies from the bytes a server sends: lines ending in CRLF (a bare LF is tolerated), each
/// `ddd-text` while more lines follow and `ddd text` (or just `ddd`) for the last (RFC 5321 §4.2.1).
struct SMTPReplyParser {
    /// A reply the parser cannot accept.
    struct MalformedReply: Error, CustomStringConvertible {
        let reason: String
        var description: String { "malformed reply: \(reason)" }
    }

    /// Longer lines are refused rather than buffered without end (RFC 5321 allows 512 octets).
    static let maximumLineLength = 4096
    static let maximumLines = 256

    private var buffer: [UInt8] = []
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// Whether bytes of an unfinished reply are held (checked before STARTTLS: nothing may follow the 220).
    var hasBufferedData: Bool { !buffer.isEmpty || pendingCode != nil }

    /// Adds received bytes and returns the replies they complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(MalformedReply) -> [SMTPReply] {
        buffer.append(contentsOf: bytes)
        var replies: [SMTPReply] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            var end = newline
            if end > start, buffer[end - 1] == 0x0D { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            if let reply = try take(line) { replies.append(reply) }
        }
        buffer.removeFirst(start)
        guard buffer.count <= Self.maximumLineLength else {
            throw MalformedReply(reason: "a line longer than \(Self.maximumLineLength) octets")
        }
        return replies
    }

    private mutating func take(_ line: ArraySlice<UInt8>) throws(MalformedReply) -> SMTPReply? {
        guard line.count >= 3, line.count <= Self.maximumLineLength,
            line.prefix(3).allSatisfy({ (0x30...0x39).contains($0) })
        else {
            throw MalformedReply(reason: "a line that does not start with a three-digit code")
        }
        let digits = Array(line.prefix(3))
        let code = Int(digits[0] - 0x30) * 100 + Int(digits[1] - 0x30) * 10 + Int(digits[2] - 0x30)
        guard (200...599).contains(code) else { throw MalformedReply(reason: "code \(code) is outside 200–599") }
        if let pendingCode, pendingCode != code {
            throw MalformedReply(reason: "a multi-line reply changes its code from \(pendingCode) to \(code)")
        }
        let separator = line.count > 3 ? line[line.startIndex + 3] : 0x20
        guard separator == 0x20 || separator == 0x2D else {
            throw MalformedReply(reason: "the code is followed by neither a space nor '-'")
        }
        let text = line.count > 4 ? String(decoding: line.dropFirst(4), as: UTF8.self) : ""
        pendingLines.append(text)
        guard pendingLines.count <= Self.maximumLines else {
            throw MalformedReply(reason: "more than \(Self.maximumLines) lines in one reply")
        }
        if separator == 0x2D {
            pendingCode = code
            return nil
        }
        defer {
            pendingCode = nil
            pendingLines = []
        }
        return SMTPReply(code: code, lines: pendingLines)
    }
}
