/// The header fields of an email in the mail drop that say what it is and whom it concerns: its kind
/// (`X-NPQ-Notification-Kind`), its recipient and its subject.
struct MailDropEmail: Sendable, Equatable {
    var kind: String?
    var to: String?
    var subject: String?

    /// Reads the header block (up to the first empty line) of `text`, unfolding continued lines.
    init(header text: String) {
        var fields: [(name: String, value: String)] = []
        // "\r\n" is one Character, a newline.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.drop { $0 == " " || $0 == "\t" }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            fields.append((line[..<colon].lowercased(), String(value)))
        }
        func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        kind = field("x-npq-notification-kind")
        to = field("to")
        subject = field("subject")
    }

    /// The benchmark application the email is about: the applicant's own address, or for a school's notice the
    /// member of staff its subject names.
    var applicationIndex: Int? {
        if kind == "staff_accepted" { return subject.flatMap { ApplicationProfile.index(inName: $0) } }
        return to.flatMap { ApplicationProfile.index(inAddress: $0) }
    }
}
