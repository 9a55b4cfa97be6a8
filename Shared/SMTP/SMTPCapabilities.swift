/// What a server announced in its reply to EHLO (RFC 5321 §4.1.1.1): one extension per line after the first.
struct SMTPCapabilities: Sendable, Hashable {
    /// Extension keywords, uppercased, with their parameters.
    let extensions: [String: [String]]

    init(ehloReply reply: SMTPReply) {
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            extensions[keyword] = Array(words.dropFirst())
        }
        self.extensions = extensions
    }

    /// No extensions: the server answered HELO, not EHLO.
    static let none = SMTPCapabilities()

    private init() { extensions = [:] }

    var startTLS: Bool { extensions["STARTTLS"] != nil }

    /// AUTH mechanisms, uppercased.
    var authenticationMechanisms: Set<String> { Set((extensions["AUTH"] ?? []).map { $0.uppercased() }) }

    /// The largest message the server accepts, when it says (SIZE 0 means no limit).
    var maximumSize: Int? {
        guard let size = extensions["SIZE"]?.first.flatMap({ Int($0) }), size > 0 else { return nil }
        return size
    }

    var size: Bool { extensions["SIZE"] != nil }
}
