import AMQP
import ArgumentParser
import Foundation
import Logging
import ServiceRuntime

/// Where the broker is, shared by every subcommand that talks to it.
struct BrokerOptions: ParsableArguments {
    @Option(
        name: .customLong("amqp-url"),
        help: "The broker (default: NPQ_AMQP_URL, else amqp://guest:guest@localhost:5672/).")
    var amqpURL: String?

    @Option(help: "Seconds to wait for a reply.")
    var timeout: Int = 15

    /// Connects (failing fast with the broker's reason) and runs `body` with a client, closing afterwards.
    func withClient<T: Sendable>(_ body: (NPQClient) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let url = amqpURL ?? environment["NPQ_AMQP_URL"] ?? "amqp://guest:guest@localhost:5672/"
        var configuration = try AMQPConfiguration(url: url)
        configuration.connectionName = "npq-cli"
        if var tls = configuration.tls {
            if let ca = environment["NPQ_AMQP_CA_FILE"] { tls.caFile = ca }
            tls.certificateFile = environment["NPQ_AMQP_CERT_FILE"]
            tls.keyFile = environment["NPQ_AMQP_KEY_FILE"]
            configuration.tls = tls
        }
        var logger = Logger(label: "npq")
        logger.logLevel = .critical
        let connection: AMQPConnection
        do {
            connection = try await AMQPConnection.connect(configuration, logger: logger)
        } catch {
            throw CLIError("cannot connect to the broker at \(configuration.redactedURL): \(error)")
        }
        let client = NPQClient(
            connection: connection, source: "urn:npq:tool:npq", appID: "npq", userID: configuration.user)
        do {
            let result = try await body(client)
            await connection.close()
            return result
        } catch let error as AMQPError {
            await connection.close()
            throw CLIError(Self.explain(error, timeout: timeout))
        } catch {
            await connection.close()
            throw error
        }
    }

    /// What a broker error means to someone running the tool, and what to check.
    static func explain(_ error: AMQPError, timeout: Int) -> String {
        switch error.code {
        case .unroutable:
            "no service is listening for this message: is the service that owns it running? (\(error))"
        case .channelClosed where "\(error)".contains("NOT_FOUND"):
            "the suite's exchanges do not exist on this broker: start the services first, e.g. with make run (\(error))"
        case .timeout:
            "no reply within \(timeout) s: check that the service is running and ready (/health/ready)"
        default:
            "\(error)"
        }
    }
}
