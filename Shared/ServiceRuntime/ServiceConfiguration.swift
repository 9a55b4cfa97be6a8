import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The settings every NPQ service reads at start, from `NPQ_*` environment variables (or their `_FILE` twins).
///
/// A service adds its own settings with a ``ConfigurationReader`` over the same environment; these are the common
/// ones, validated together so that a wrong value stops the service before it touches the broker or the database.
public struct ServiceConfiguration: Sendable {
    /// The service's name (`NPQ_SERVICE_NAME`, defaulting to the name the executable passes): the `service` field of
    /// every log line, the `app_id` of every message and the default database file name.
    public var serviceName: String
    /// The broker to connect to (`NPQ_AMQP_URL`); `amqps://` for TLS. Holds the password, so never log it unmasked.
    public var amqpURL: URL
    /// A PEM file of certificate authorities to verify the broker with (`NPQ_AMQP_CA_FILE`); system roots when nil.
    public var amqpCAFile: String?
    /// A PEM client certificate for mutual TLS (`NPQ_AMQP_CERT_FILE`); set together with ``amqpKeyFile``.
    public var amqpCertFile: String?
    /// The PEM private key of ``amqpCertFile`` (`NPQ_AMQP_KEY_FILE`).
    public var amqpKeyFile: String?
    /// The database URL as configured (`NPQ_DATABASE_URL`), or the default file under ``dataDirectory``.
    public var databaseURL: String
    /// ``databaseURL`` parsed, ready for ``SQLStore/open(_:busyTimeout:logger:)``.
    public var database: DatabaseLocation
    /// Where the service keeps its files (`NPQ_DATA_DIR`), including the default SQLite database.
    public var dataDirectory: String
    /// The address the health and metrics server listens on (`NPQ_HTTP_HOST`); loopback unless exposed on purpose.
    public var httpHost: String
    /// The port of the health and metrics server (`NPQ_HTTP_PORT`); 0 picks any free port (tests).
    public var httpPort: Int
    /// The lowest level that is logged (`NPQ_LOG_LEVEL`).
    public var logLevel: Logger.Level
    /// How log lines are written (`NPQ_LOG_FORMAT`): JSON unless standard output is a terminal.
    public var logFormat: LogFormat
    /// How many unacknowledged deliveries the broker may push to each consumer (`NPQ_PREFETCH`).
    public var prefetch: Int
    /// The most deliveries handled in one transaction (`NPQ_CONSUMER_BATCH`); 1 handles each on its own.
    public var consumerBatch: Int
    /// How long in-flight work may take to finish after SIGTERM before it is cancelled
    /// (`NPQ_SHUTDOWN_GRACE_SECONDS`).
    public var shutdownGracePeriod: Duration
    /// Broker users that are DfE's operators (`NPQ_OPERATOR_USERS`, comma-separated): they may list, replay and purge
    /// parked messages, ask for the service's status, and send the operators' commands of each service.
    public var operatorUsers: Set<String>

    /// Reads and validates the common settings.
    ///
    /// - Parameters:
    ///   - service: The executable's own name, used unless `NPQ_SERVICE_NAME` overrides it.
    ///   - environment: The variables to read; the process environment in production.
    ///   - stdoutIsTerminal: Decides the default log format; read from the process unless a test fixes it.
    /// - Throws: The first ``ConfigurationError`` found, naming the variable and the rule it breaks.
    public static func load(
        service: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        stdoutIsTerminal: Bool = isatty(STDOUT_FILENO) != 0
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let reader = ConfigurationReader(environment: environment)

        let serviceName = try reader.string(Name.serviceName, default: service)
        // The name becomes queue names (npq.<name>) and a file name: lowercase words, each a letter then letters or
        // digits, joined by single hyphens — the rule ServiceTopology enforces.
        let words = serviceName.split(separator: "-", omittingEmptySubsequences: false)
        let nameIsValid =
            !serviceName.isEmpty
            && words.allSatisfy { word in
                guard let first = word.first, first.isASCII, first.isLowercase else { return false }
                return word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
            }
        guard nameIsValid else {
            throw ConfigurationError(
                code: .invalidValue, variable: Name.serviceName, value: serviceName,
                rule: "must be lowercase words (a letter, then letters or digits) joined by hyphens, e.g. applications")
        }

        let amqpURL = try reader.url(Name.amqpURL, default: Default.amqpURL, schemes: ["amqp", "amqps"])
        let amqpCAFile = try reader.optionalPath(Name.amqpCAFile, mustExist: true)
        let amqpCertFile = try reader.optionalPath(Name.amqpCertFile, mustExist: true)
        let amqpKeyFile = try reader.optionalPath(Name.amqpKeyFile, mustExist: true)
        if (amqpCertFile == nil) != (amqpKeyFile == nil) {
            let (missing, present) =
                amqpCertFile == nil ? (Name.amqpCertFile, Name.amqpKeyFile) : (Name.amqpKeyFile, Name.amqpCertFile)
            throw ConfigurationError(
                code: .missing, variable: missing, value: nil,
                rule: "is required when \(present) is set (a client certificate needs its key)")
        }

        let dataDirectory = try reader.path(Name.dataDirectory, default: Default.dataDirectory)
        let defaultDatabase = "sqlite://\(dataDirectory)/\(serviceName).sqlite"
        let databaseURL = try reader.string(Name.databaseURL, default: defaultDatabase)
        let database = try DatabaseLocation(parsing: databaseURL, variable: Name.databaseURL)

        let httpHost = try reader.string(Name.httpHost, default: Default.httpHost)
        let httpPort = try reader.int(Name.httpPort, default: Default.httpPort, range: 0...65535)
        let logLevel = try reader.enum(Name.logLevel, default: Logger.Level.info)
        let logFormat = try reader.enum(Name.logFormat, default: stdoutIsTerminal ? LogFormat.text : .json)
        let prefetch = try reader.int(Name.prefetch, default: Default.prefetch, range: 1...65535)
        let consumerBatch = try reader.int(Name.consumerBatch, default: Default.consumerBatch, range: 1...1000)
        let grace = try reader.duration(
            Name.shutdownGraceSeconds, default: Default.shutdownGracePeriod, range: .zero ... .seconds(3600))
        let operatorUsers = try reader.userList(Name.operatorUsers, default: Default.operatorUsers)

        return ServiceConfiguration(
            serviceName: serviceName, amqpURL: amqpURL, amqpCAFile: amqpCAFile, amqpCertFile: amqpCertFile,
            amqpKeyFile: amqpKeyFile, databaseURL: databaseURL, database: database, dataDirectory: dataDirectory,
            httpHost: httpHost, httpPort: httpPort, logLevel: logLevel, logFormat: logFormat, prefetch: prefetch,
            consumerBatch: consumerBatch, shutdownGracePeriod: grace, operatorUsers: operatorUsers)
    }

    /// Every common variable with its default and meaning, for the README and `--help`; keep in step with `load`.
    public static let documentation: [(name: String, default: String, meaning: String)] = [
        (Name.serviceName, "the executable's name", "Service name in logs, message app_id and the default database."),
        (Name.amqpURL, "amqp://guest:guest@127.0.0.1:5672/", "Broker URL; amqps:// for TLS."),
        (Name.amqpCAFile, "system roots", "PEM CA bundle to verify the broker's certificate."),
        (Name.amqpCertFile, "none", "PEM client certificate for mutual TLS; needs NPQ_AMQP_KEY_FILE."),
        (Name.amqpKeyFile, "none", "PEM private key of the client certificate."),
        (
            Name.databaseURL, "sqlite://<NPQ_DATA_DIR>/<service>.sqlite",
            "sqlite:///absolute/path, sqlite://relative/path or sqlite::memory:."
        ),
        (Name.dataDirectory, Default.dataDirectory, "Directory for the service's files."),
        (Name.httpHost, Default.httpHost, "Address of the health and metrics HTTP server."),
        (Name.httpPort, "\(Default.httpPort)", "Port of the health and metrics HTTP server; 0 = any free port."),
        (Name.logLevel, "info", "Lowest level logged: trace, debug, info, notice, warning, error, critical."),
        (Name.logFormat, "json (text on a terminal)", "Log line format: json or text."),
        (Name.prefetch, "\(Default.prefetch)", "Unacknowledged deliveries per consumer, 1 to 65535."),
        (
            Name.consumerBatch, "\(Default.consumerBatch)",
            "Most waiting deliveries handled in one transaction, 1 to 1000; 1 handles each on its own."
        ),
        (Name.shutdownGraceSeconds, "10", "Seconds in-flight work may take to finish after SIGTERM."),
        (
            Name.operatorUsers, Default.operatorUsers,
            "Broker users that are operators (comma-separated): parked messages, status, operators' commands."
        ),
    ]

    /// The variable names, spelled once.
    enum Name {
        static let serviceName = "NPQ_SERVICE_NAME"
        static let amqpURL = "NPQ_AMQP_URL"
        static let amqpCAFile = "NPQ_AMQP_CA_FILE"
        static let amqpCertFile = "NPQ_AMQP_CERT_FILE"
        static let amqpKeyFile = "NPQ_AMQP_KEY_FILE"
        static let databaseURL = "NPQ_DATABASE_URL"
        static let dataDirectory = "NPQ_DATA_DIR"
        static let httpHost = "NPQ_HTTP_HOST"
        static let httpPort = "NPQ_HTTP_PORT"
        static let logLevel = "NPQ_LOG_LEVEL"
        static let logFormat = "NPQ_LOG_FORMAT"
        static let prefetch = "NPQ_PREFETCH"
        static let consumerBatch = "NPQ_CONSUMER_BATCH"
        static let shutdownGraceSeconds = "NPQ_SHUTDOWN_GRACE_SECONDS"
        static let operatorUsers = "NPQ_OPERATOR_USERS"
    }

    /// The defaults, spelled once so `load` and `documentation` agree.
    enum Default {
        static let amqpURL = "amqp://guest:guest@127.0.0.1:5672/"
        static let dataDirectory = "./.run/data"
        static let httpHost = "127.0.0.1"
        static let httpPort = 8080
        static let prefetch = 256
        static let consumerBatch = 64
        static let shutdownGracePeriod = Duration.seconds(10)
        static let operatorUsers = "npq-operator"
    }
}
