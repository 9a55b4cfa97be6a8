import Foundation

extension SMTPConfiguration {
    /// Parses `smtp://[user:password@]host[:port][?options]` or `smtps://…` (see ``SMTPConfiguration``).
    ///
    /// Throws an ``SMTPError`` with code ``SMTPError/Code/invalidConfiguration`` naming the part that is wrong: the
    /// scheme, the port, a percent-encoding, an unknown or repeated option, a bad option value. The message never
    /// contains the password.
    public init(url: String) throws(SMTPError) {
        func invalid(_ why: String) -> SMTPError { .configuration("NPQ_SMTP_URL: \(why)") }

        guard let schemeEnd = url.range(of: "://") else {
            throw invalid("not a URL; expected smtp://[user:password@]host[:port] or smtps://…")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw invalid("unknown scheme '\(scheme)'; use smtp (STARTTLS) or smtps (implicit TLS)")
        }
        var rest = url[schemeEnd.upperBound...]
        guard !rest.contains("#") else { throw invalid("a URL fragment ('#…') is not allowed") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else { throw invalid("a path is not allowed after the host") }
            rest = rest[..<slash]
        }

        var credentials: Credentials?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let (encodedUser, encodedPassword) =
                userInfo.firstIndex(of: ":").map { (userInfo[..<$0], userInfo[userInfo.index(after: $0)...]) }
                ?? (userInfo, "")
            guard let user = String(encodedUser).removingPercentEncoding else {
                throw invalid("bad percent-encoding in the user name")
            }
            guard let password = String(encodedPassword).removingPercentEncoding else {
                throw invalid("bad percent-encoding in the password")
            }
            guard !user.isEmpty else { throw invalid("the user name is empty (write smtp://host without '@')") }
            credentials = Credentials(username: user, password: password)
        }

        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unclosed '[' in the IPv6 host") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw invalid("the URL names no host") }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw invalid("port '\(portText)' is not a number in 1…65535")
            }
            port = number
        }

        var security: TransportSecurity = scheme == "smtps" ? .implicitTLS : .requireSTARTTLS
        var heloName: String?
        var certificateAuthorityFile: String?
        var timeouts: [String: Duration] = [:]
        var seen: Set<String> = []
        for item in query.split(separator: "&") {
            let (name, encodedValue) =
                item.firstIndex(of: "=").map { (String(item[..<$0]), item[item.index(after: $0)...]) }
                ?? (String(item), "")
            guard let value = String(encodedValue).removingPercentEncoding else {
                throw invalid("bad percent-encoding in the value of \(name)")
            }
            guard seen.insert(name).inserted else { throw invalid("option \(name) is given twice") }
            switch name {
            case "starttls":
                guard scheme == "smtp" else {
                    throw invalid("starttls applies to smtp:// only; smtps:// is TLS from the start")
                }
                switch value.lowercased() {
                case "required": security = .requireSTARTTLS
                case "opportunistic": security = .opportunisticSTARTTLS
                case "never": security = .plaintext
                default: throw invalid("starttls must be required, opportunistic or never, got '\(value)'")
                }
            case "cacertfile":
                guard !value.isEmpty else { throw invalid("cacertfile is empty") }
                certificateAuthorityFile = value
            case "helo":
                heloName = value
            case "connect_timeout", "command_timeout", "message_timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw invalid("\(name) must be a number of seconds in (0, 3600], got '\(value)'")
                }
                timeouts[name] = .milliseconds(Int64((seconds * 1000).rounded()))
            default:
                throw invalid(
                    "unknown option '\(name)'; known: starttls, cacertfile, helo, connect_timeout, command_timeout,"
                        + " message_timeout")
            }
        }

        self.init(
            host: String(host), port: port, security: security, credentials: credentials, heloName: heloName,
            certificateAuthorityFile: certificateAuthorityFile,
            connectTimeout: timeouts["connect_timeout"] ?? .seconds(10),
            commandTimeout: timeouts["command_timeout"] ?? .seconds(30),
            messageTimeout: timeouts["message_timeout"] ?? .seconds(300))
        do {
            try validate()
        } catch {
            throw invalid(error.message)
        }
    }
}
