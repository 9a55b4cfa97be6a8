import Foundation
import Logging
import Testing

@testable import ServiceRuntime

/// The common `NPQ_*` settings: defaults, overrides and the message each wrong value produces.
@Suite("Service configuration")
struct ServiceConfigurationTests {
    @Test("with nothing set every setting has its documented default")
    func defaults() throws {
        let configuration = try ServiceConfiguration.load(
            service: "npq-senco", environment: [:], stdoutIsTerminal: false)
        #expect(configuration.serviceName == "npq-senco")
        #expect(configuration.amqpURL.absoluteString == "amqp://guest:guest@127.0.0.1:5672/")
        #expect(
            configuration.amqpCAFile == nil && configuration.amqpCertFile == nil && configuration.amqpKeyFile == nil)
        #expect(configuration.dataDirectory == "./.run/data")
        #expect(configuration.databaseURL == "sqlite://./.run/data/npq-senco.sqlite")
        #expect(configuration.database == .sqliteFile(path: "./.run/data/npq-senco.sqlite"))
        #expect(configuration.httpHost == "127.0.0.1")
        #expect(configuration.httpPort == 8080)
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .json)
        #expect(configuration.prefetch == 256)
        #expect(configuration.shutdownGracePeriod == .seconds(10))
    }

    @Test("a terminal gets text logs by default")
    func textOnTerminal() throws {
        let configuration = try ServiceConfiguration.load(service: "npq", environment: [:], stdoutIsTerminal: true)
        #expect(configuration.logFormat == .text)
    }

    @Test("every setting can be overridden")
    func overrides() throws {
        let environment = [
            "NPQ_SERVICE_NAME": "npq-cohorts-b2",
            "NPQ_AMQP_URL": "amqps://npq:pw@broker.internal:5671/npq",
            "NPQ_DATA_DIR": "/var/lib/npq",
            "NPQ_HTTP_HOST": "0.0.0.0",
            "NPQ_HTTP_PORT": "0",
            "NPQ_LOG_LEVEL": "DEBUG",
            "NPQ_LOG_FORMAT": "text",
            "NPQ_PREFETCH": "10",
            "NPQ_SHUTDOWN_GRACE_SECONDS": "2.5",
        ]
        let configuration = try ServiceConfiguration.load(
            service: "npq-cohorts", environment: environment, stdoutIsTerminal: false)
        #expect(configuration.serviceName == "npq-cohorts-b2")
        #expect(configuration.amqpURL.host == "broker.internal")
        #expect(configuration.database == .sqliteFile(path: "/var/lib/npq/npq-cohorts-b2.sqlite"))
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.httpPort == 0)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .text)
        #expect(configuration.prefetch == 10)
        #expect(configuration.shutdownGracePeriod == .milliseconds(2500))
    }

    @Test(
        "database URLs: absolute, relative and in-memory SQLite",
        arguments: [
            ("sqlite:///var/lib/npq/a.sqlite", DatabaseLocation.sqliteFile(path: "/var/lib/npq/a.sqlite")),
            ("sqlite://data/a.sqlite", .sqliteFile(path: "data/a.sqlite")),
            ("sqlite::memory:", .sqliteInMemory),
        ])
    func databaseURLs(url: String, expected: DatabaseLocation) throws {
        let configuration = try ServiceConfiguration.load(
            service: "npq", environment: ["NPQ_DATABASE_URL": url], stdoutIsTerminal: false)
        #expect(configuration.database == expected)
        #expect(configuration.databaseURL == url)
    }

    @Test("each wrong value stops the load with a message naming the variable and the rule", arguments: invalidCases)
    func invalid(environment: [String: String], message: String) {
        #expect {
            _ = try ServiceConfiguration.load(service: "npq-senco", environment: environment, stdoutIsTerminal: false)
        } throws: { error in
            "\(error)" == message
        }
    }

    static let invalidCases: [([String: String], String)] = [
        (["NPQ_HTTP_PORT": "abc"], #"NPQ_HTTP_PORT must be an integer from 0 to 65535, got "abc""#),
        (["NPQ_PREFETCH": "0"], #"NPQ_PREFETCH must be an integer from 1 to 65535, got "0""#),
        (
            ["NPQ_LOG_LEVEL": "loud"],
            #"NPQ_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, got "loud""#
        ),
        (["NPQ_LOG_FORMAT": "xml"], #"NPQ_LOG_FORMAT must be one of json, text, got "xml""#),
        (
            ["NPQ_SHUTDOWN_GRACE_SECONDS": "-1"],
            "NPQ_SHUTDOWN_GRACE_SECONDS must be a duration such as 10, 10s, 500ms, 2m or 1h, from 0s to 3600s, "
                + #"got "-1""#
        ),
        (
            ["NPQ_AMQP_URL": "http://guest:guest@localhost/"],
            #"NPQ_AMQP_URL must be a URL with a host and scheme amqp or amqps, got "http://guest:***@localhost/""#
        ),
        (
            ["NPQ_DATABASE_URL": "postgres://npq:hunter2@db/npq"],
            "NPQ_DATABASE_URL names PostgreSQL, but PostgreSQL is not built into this release; use sqlite:///path, "
                + #"got "postgres://npq:***@db/npq""#
        ),
        (
            ["NPQ_DATABASE_URL": "mysql://db/npq"],
            "NPQ_DATABASE_URL must be sqlite:///absolute/path, sqlite://relative/path or sqlite::memory:, "
                + #"got "mysql://db/npq""#
        ),
        (
            ["NPQ_DATABASE_URL": "sqlite://"],
            "NPQ_DATABASE_URL must be sqlite:///absolute/path, sqlite://relative/path or sqlite::memory:, "
                + #"got "sqlite://""#
        ),
        (
            ["NPQ_AMQP_CA_FILE": "/nonexistent/ca.pem"],
            #"NPQ_AMQP_CA_FILE must name a readable file, got "/nonexistent/ca.pem""#
        ),
        (
            ["NPQ_AMQP_CERT_FILE": #filePath],
            "NPQ_AMQP_KEY_FILE is required when NPQ_AMQP_CERT_FILE is set (a client certificate needs its key)"
        ),
        (
            ["NPQ_SERVICE_NAME": "../etc"],
            #"NPQ_SERVICE_NAME must be lowercase words (a letter, then letters or digits) joined by hyphens, e.g. applications, got "../etc""#
        ),
    ]

    @Test("the documentation table lists every variable that load reads, once")
    func documentation() {
        let names = ServiceConfiguration.documentation.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            Set(names) == [
                "NPQ_SERVICE_NAME", "NPQ_AMQP_URL", "NPQ_AMQP_CA_FILE", "NPQ_AMQP_CERT_FILE", "NPQ_AMQP_KEY_FILE",
                "NPQ_DATABASE_URL", "NPQ_DATA_DIR", "NPQ_HTTP_HOST", "NPQ_HTTP_PORT", "NPQ_LOG_LEVEL",
                "NPQ_LOG_FORMAT", "NPQ_PREFETCH", "NPQ_CONSUMER_BATCH", "NPQ_SHUTDOWN_GRACE_SECONDS",
                "NPQ_OPERATOR_USERS",
            ])
        #expect(ServiceConfiguration.documentation.allSatisfy { !$0.meaning.isEmpty && !$0.default.isEmpty })
    }
}
