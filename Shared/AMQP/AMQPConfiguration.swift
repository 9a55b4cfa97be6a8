import Foundation

/// How to reach and talk to a RabbitMQ broker.
///
/// Build it from an AMQP URI (`amqp://user:password@host:5672/vhost?heartbeat=30`, or `amqps://` for TLS) and
/// adjust the rest in code. The query parameters follow RabbitMQ's URI conventions: `heartbeat`,
/// `connection_timeout` (milliseconds), `channel_max`, `frame_max`, `cacertfile`, `certfile`, `keyfile`,
/// `verify` (`verify_peer` or `verify_none`), `server_name_indication` and `auth_mechanism` (`plain`/`external`).
public struct AMQPConfiguration: Sendable {
    /// TLS settings, used when the URI's scheme is `amqps`.
    public struct TLS: Sendable, Equatable {
        /// PEM file of the certificate authorities that may sign the broker's certificate. Without it, the
        /// system's default trust store is used.
        public var caFile: String?
        /// PEM client certificate and key, for brokers that ask for one (and for SASL EXTERNAL).
        public var certificateFile: String?
        public var keyFile: String?
        /// Verify the broker's certificate chain and that it names the host we connect to. On by default;
        /// turning it off is for local experiments only.
        public var verifyPeer: Bool = true

        public init(
            caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, verifyPeer: Bool = true
        ) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.verifyPeer = verifyPeer
        }
    }

    /// How the connection authenticates.
    public enum Authentication: Sendable, Equatable {
        /// SASL PLAIN with the URI's user and password.
        case plain
        /// SASL EXTERNAL: the broker takes the identity from the client certificate.
        case external
    }

    /// When and how often to try again after a lost connection: exponential backoff with full jitter.
    public struct Reconnect: Sendable, Equatable {
        public var initialDelay: Duration = .milliseconds(100)
        public var maximumDelay: Duration = .seconds(10)
        public var multiplier: Double = 2

        public init(
            initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(10), multiplier: Double = 2
        ) {
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
            self.multiplier = multiplier
        }
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// `nil` for plain TCP; set for `amqps://`.
    public var tls: TLS?
    public var authentication: Authentication = .plain
    /// Heartbeat interval negotiated with the broker; 0 turns heartbeats off (not recommended).
    public var heartbeat: Duration = .seconds(30)
    /// Time allowed for TCP connect plus TLS and AMQP handshakes.
    public var connectionTimeout: Duration = .seconds(10)
    /// Time allowed for a synchronous broker operation (declare, bind, consume).
    public var operationTimeout: Duration = .seconds(30)
    public var frameMax: Int = 131_072
    public var channelMax: Int = 2047
    /// Shown in the broker's management UI, e.g. the service name.
    public var connectionName: String?
    /// How many published messages may await their confirm at once.
    public var publisherConfirmWindow: Int = 1024
    public var reconnect = Reconnect()

    /// Parses an AMQP URI. Throws an ``AMQPError`` with code ``AMQPError/Code/invalidConfiguration`` that names
    /// the part of the URI that is wrong.
    public init(url: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError {
            AMQPError(.invalidConfiguration, context: "parse the AMQP URL: \(why)")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw invalid("not a URL (expected amqp://user:password@host:port/vhost)")
        }
        guard scheme == "amqp" || scheme == "amqps" else {
            throw invalid("scheme must be amqp or amqps, got \(scheme)")
        }
        let secure = scheme == "amqps"
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        port = components.port ?? (secure ? 5671 : 5672)
        guard (1...65535).contains(port) else { throw invalid("port \(port) is outside 1…65535") }
        user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "guest"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            let encoded = String(path.dropFirst())
            guard !encoded.contains("/") else {
                throw invalid("the virtual host must be one path segment; write '/' inside it as %2F")
            }
            guard let decoded = encoded.removingPercentEncoding else {
                throw invalid("bad percent-encoding in the virtual host")
            }
            virtualHost = decoded
        }
        tls = secure ? TLS() : nil

        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            func integer(_ range: ClosedRange<Int>) throws(AMQPError) -> Int {
                guard let number = Int(value), range.contains(number) else {
                    throw invalid(
                        "\(item.name) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(value)'")
                }
                return number
            }
            func tlsOnly() throws(AMQPError) {
                if !secure { throw invalid("\(item.name) needs the amqps scheme") }
            }
            switch item.name {
            case "heartbeat": heartbeat = .seconds(try integer(0...3600))
            case "connection_timeout": connectionTimeout = .milliseconds(try integer(1...600_000))
            case "channel_max": channelMax = try integer(1...65535)
            case "frame_max": frameMax = try integer(4096...16_777_216)
            case "cacertfile":
                try tlsOnly()
                tls?.caFile = value
            case "certfile":
                try tlsOnly()
                tls?.certificateFile = value
            case "keyfile":
                try tlsOnly()
                tls?.keyFile = value
            case "verify":
                try tlsOnly()
                switch value {
                case "verify_peer": tls?.verifyPeer = true
                case "verify_none": tls?.verifyPeer = false
                default: throw invalid("verify must be verify_peer or verify_none, got '\(value)'")
                }
            case "server_name_indication":
                try tlsOnly()
            case "auth_mechanism":
                switch value.lowercased() {
                case "plain": authentication = .plain
                case "external": authentication = .external
                default: throw invalid("auth_mechanism must be plain or external, got '\(value)'")
                }
            case "connection_name", "name":
                connectionName = value
            default:
                throw invalid("unknown query parameter '\(item.name)'")
            }
        }
    }

    /// The URI without its password, safe to log.
    public var redactedURL: String {
        let scheme = tls == nil ? "amqp" : "amqps"
        let vhost =
            virtualHost == "/" ? "" : (virtualHost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(user)@\(hostPart):\(port)/\(vhost)"
    }
}
