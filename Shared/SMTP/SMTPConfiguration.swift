import Foundation

/// Where and how to deliver email: the server, the transport security, the credentials and the timeouts.
///
/// Build it from `NPQ_SMTP_URL` with ``init(url:)``:
///
/// - `smtp://[user:password@]host[:port][?options]`: port 25 unless given (use `:587` for a submission server);
///   STARTTLS is **required** unless the `starttls` option says otherwise.
/// - `smtps://[user:password@]host[:port][?options]`: implicit TLS, port 465 unless given.
///
/// The user and password are percent-decoded (write `@` as `%40`, `:` as `%3A`). Options:
///
/// | option | meaning |
/// |---|---|
/// | `starttls=required` (default), `opportunistic`, `never` | `smtp://` only; see ``TransportSecurity`` |
/// | `cacertfile=/path/ca.pem` | PEM certificate authorities trusted besides the system's (a private CA) |
/// | `helo=name` | the name sent with EHLO; default this machine's host name, or `localhost` |
/// | `connect_timeout=10` | seconds to open the connection |
/// | `command_timeout=30` | seconds to wait for each reply |
/// | `message_timeout=300` | seconds to wait for the reply after the message content |
///
/// The server's certificate is always verified — chain and host name — against the system's trust roots plus
/// `cacertfile`. There is deliberately no option to turn verification off: for a local test server without a
/// certificate use `starttls=never`, and for one with a self-made certificate give its CA as `cacertfile`.
public struct SMTPConfiguration: Sendable, Hashable {
    /// How the connection is protected.
    public enum TransportSecurity: String, Sendable, Hashable {
        /// STARTTLS after the first EHLO; fail (before sending anything else) if the server does not offer it.
        case requireSTARTTLS
        /// STARTTLS when the server offers it, plaintext otherwise. When the server offers it, a failed handshake or
        /// an untrusted certificate still fails the delivery: there is no silent fall-back to plaintext.
        case opportunisticSTARTTLS
        /// Never encrypt: only for local development servers (`starttls=never`).
        case plaintext
        /// TLS from the first byte (`smtps://`, port 465).
        case implicitTLS
    }

    /// A user name and password for AUTH PLAIN or AUTH LOGIN. Its description hides the password.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username):***" }
    }

    /// The name of the environment variable the notifications service reads the URL from.
    public static let environmentVariable = "NPQ_SMTP_URL"

    public var host: String
    public var port: Int
    public var security: TransportSecurity
    /// Sent only over TLS, or to a loopback address (a local relay); see ``SMTPClient``.
    public var credentials: Credentials?
    /// The name given with EHLO/HELO.
    public var heloName: String
    /// A PEM file of certificate authorities to trust in addition to the system's, for servers with private CAs.
    public var certificateAuthorityFile: String?
    /// Time to open the TCP connection.
    public var connectTimeout: Duration
    /// Time to wait for each reply, the greeting included.
    public var commandTimeout: Duration
    /// Time to wait for the server's reply after the message content (RFC 5321 suggests 10 minutes; servers that
    /// scan content can take a while, and a timeout here can mean the message was accepted after all).
    public var messageTimeout: Duration

    public init(
        host: String, port: Int? = nil, security: TransportSecurity = .requireSTARTTLS,
        credentials: Credentials? = nil, heloName: String? = nil, certificateAuthorityFile: String? = nil,
        connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(30),
        messageTimeout: Duration = .seconds(300)
    ) {
        self.host = host
        self.port = port ?? (security == .implicitTLS ? 465 : 25)
        self.security = security
        self.credentials = credentials
        self.heloName = heloName ?? Self.defaultHeloName
        self.certificateAuthorityFile = certificateAuthorityFile
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.messageTimeout = messageTimeout
    }

    /// This machine's host name when it is a plain domain name, `localhost` otherwise.
    public static var defaultHeloName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isDomainName(name) ? name : "localhost"
    }

    /// The URL without the password, safe to log.
    public var redactedURL: String {
        var url = security == .implicitTLS ? "smtps://" : "smtp://"
        if let credentials {
            let user = credentials.username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? ""
            url += "\(user):***@"
        }
        url += host.contains(":") ? "[\(host)]" : host
        url += ":\(port)"
        var options: [String] = []
        switch security {
        case .opportunisticSTARTTLS: options.append("starttls=opportunistic")
        case .plaintext: options.append("starttls=never")
        case .requireSTARTTLS, .implicitTLS: break
        }
        if let certificateAuthorityFile { options.append("cacertfile=\(certificateAuthorityFile)") }
        if heloName != Self.defaultHeloName { options.append("helo=\(heloName)") }
        func seconds(_ duration: Duration) -> String {
            let (whole, attoseconds) = duration.components
            return attoseconds == 0 ? "\(whole)" : "\(Double(whole) + Double(attoseconds) / 1e18)"
        }
        if connectTimeout != .seconds(10) { options.append("connect_timeout=\(seconds(connectTimeout))") }
        if commandTimeout != .seconds(30) { options.append("command_timeout=\(seconds(commandTimeout))") }
        if messageTimeout != .seconds(300) { options.append("message_timeout=\(seconds(messageTimeout))") }
        return options.isEmpty ? url : url + "?" + options.joined(separator: "&")
    }

    /// Checks what can be checked without the network: the host, the port, the HELO name, the timeouts, and that
    /// credentials are not configured to travel in plaintext to another machine.
    public func validate() throws(SMTPError) {
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else {
            throw .configuration("the host name is empty or contains a space, '/' or '@'")
        }
        guard (1...65535).contains(port) else { throw .configuration("port \(port) is outside 1…65535") }
        guard Self.isDomainName(heloName) || Self.isAddressLiteral(heloName) else {
            throw .configuration("the HELO name must be a domain name or an address literal like [192.0.2.1]")
        }
        for (name, timeout) in [
            ("connect_timeout", connectTimeout), ("command_timeout", commandTimeout),
            ("message_timeout", messageTimeout),
        ] where timeout <= .zero {
            throw .configuration("\(name) must be positive")
        }
        if security == .plaintext, credentials != nil, !Self.isLoopback(host: host) {
            throw .configuration(
                "credentials would be sent unencrypted to \(host): use STARTTLS or smtps, or a loopback relay")
        }
    }

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func isDomainName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !name.isEmpty && name.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                    }
            }
    }

    static func isAddressLiteral(_ name: String) -> Bool {
        guard name.hasPrefix("["), name.hasSuffix("]"), name.count > 2 else { return false }
        // [192.0.2.1] or [IPv6:2001:db8::1]
        return name.dropFirst().dropLast().unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == ":")
        }
    }
}
