import AMQP
import Foundation
import ServiceRuntime

/// The test broker with the shipped definitions loaded (deploy/rabbitmq/roles.json through scripts/definitions.py):
/// how to log in as each of its users.
///
/// The definitions go into a virtual host and user names of their own (`--vhost`, `--user-prefix`): the other suites
/// use the broker's admin user on `/`, and some create users such as `npq-lp-teach-first` with passwords of their
/// own, so nothing here may touch those. Each ``load()`` makes a new virtual host, so two tests that run the suite's
/// services at once do not consume each other's messages.
public struct DeployedBroker: Sendable {
    public let vhost: String
    public let prefix: String
    public let passwords: [String: String]

    /// The user name the definitions gave `name` (`npq-operator` → `t1a2b3c4d-npq-operator`).
    public func user(_ name: String) -> String { prefix + name }

    public func configuration(_ name: String) throws -> AMQPConfiguration {
        var configuration = try TestBroker.configuration(name: name)
        configuration.user = user(name)
        guard let password = passwords[user(name)] else { throw MissingUser(name: user(name)) }
        configuration.password = password
        configuration.virtualHost = vhost
        return configuration
    }

    /// The broker URL for `name`, for a service process or a client program: the plain listener, or with `secure`
    /// the TLS one (`amqps://localhost:…`, whose certificate the test CA `NPQ_TEST_TLS_CA` signed).
    public func url(_ name: String, secure: Bool = false) throws -> String {
        let plain = try TestBroker.variable(secure ? "NPQ_TEST_AMQPS_URL" : "NPQ_TEST_AMQP_URL")
        guard var components = URLComponents(string: plain), let password = passwords[user(name)] else {
            throw MissingUser(name: user(name))
        }
        components.user = user(name)
        components.password = password
        components.path = "/" + vhost
        return components.string ?? plain
    }

    /// A client logged in as `name`, sending `user_id` = `claiming` (its own user unless given).
    public func connect(_ name: String, claiming: String? = nil) async throws -> (NPQClient, AMQPConnection) {
        let connection = try await AMQPConnection.connect(configuration(name), logger: TestBroker.logger)
        let client = NPQClient(
            connection: connection, source: "urn:npq:test:\(name)", appID: name, userID: claiming ?? user(name))
        return (client, connection)
    }

    /// Runs `body` with a fresh connection as `name`, closing it afterwards.
    public func withClient(_ name: String, _ body: (NPQClient) async throws -> Void) async throws {
        let (client, connection) = try await connect(name)
        do {
            try await body(client)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// Generates the definitions with a random password per user, into a new virtual host and user names of their
    /// own, and imports them into the test broker; returns once the last user can log in.
    public static func load() async throws -> DeployedBroker {
        let id = UUID().uuidString.prefix(8).lowercased()
        let vhost = "npq-permissions-\(id)"
        let prefix = "t\(id)-"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-permissions-\(id)")
        let passwords = directory.appendingPathComponent("passwords")
        let definitions = directory.appendingPathComponent("definitions.json")
        let generator = ["scripts/definitions.py", "--vhost", vhost, "--user-prefix", prefix]
        for arguments in [
            ["passwords", passwords.path],
            ["generate", "--passwords-from", passwords.path, "--output", definitions.path],
        ] {
            let run = try await GeneratorRun(generator + arguments)
            guard run.status == 0 else {
                throw GeneratorFailed(arguments: arguments, status: run.status, error: run.error)
            }
        }
        try await TestBroker.control("ctl", "import_definitions", definitions.path)

        var read: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: passwords.path) {
            let text = try String(contentsOf: passwords.appendingPathComponent(name), encoding: .utf8)
            read[name] = text.trimmingCharacters(in: .newlines)
        }
        try? FileManager.default.removeItem(at: directory)
        let broker = DeployedBroker(vhost: vhost, prefix: prefix, passwords: read)
        // The import is done when the last user can log in and see the service queues it declared.
        let imported = await eventually(timeout: .seconds(30)) {
            guard let (_, connection) = try? await broker.connect("npq-admin") else { return false }
            let found = (try? await connection.inspectQueue("npq.notifications.retry.3")) != nil
            await connection.close()
            return found
        }
        guard imported else { throw GeneratorFailed(arguments: ["import_definitions"], status: 0, error: vhost) }
        return broker
    }

    /// The definitions have no user of that name.
    public struct MissingUser: Error, CustomStringConvertible {
        let name: String
        public var description: String { "the definitions have no user \(name)" }
    }

    /// `scripts/definitions.py` or the broker's import failed.
    public struct GeneratorFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let error: String
        public var description: String {
            "scripts/definitions.py \(arguments.joined(separator: " ")): \(status) \(error)"
        }
    }
}
