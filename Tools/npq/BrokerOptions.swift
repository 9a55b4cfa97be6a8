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
            throw ValidationError("cannot connect to the broker at \(configuration.redactedURL): \(error)")
        }
        let client = NPQClient(connection: connection, source: "urn:npq:tool:npq", appID: "npq")
        do {
            let result = try await body(client)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
