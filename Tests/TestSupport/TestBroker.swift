import AMQP
import Foundation
import Logging
import ServiceRuntime

/// The private broker `make test` starts for the tests, read from the environment it exports.
///
/// Broker tests never skip: without the environment they fail and say how to run them.
public enum TestBroker {
    public struct NotConfigured: Error, CustomStringConvertible {
        let variable: String
        public var description: String {
            "\(variable) is not set: run the tests with `make test`, which starts a private broker"
        }
    }

    public static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw NotConfigured(variable: name)
        }
        return value
    }

    public static func configuration(
        heartbeat: Duration = .seconds(10), name: String = #function, url: String? = nil
    ) throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: url ?? variable("NPQ_TEST_AMQP_URL"))
        configuration.heartbeat = heartbeat
        configuration.connectionName = "test \(name)"
        configuration.reconnect = .init(initialDelay: .milliseconds(50), maximumDelay: .seconds(1))
        return configuration
    }

    public static func connect(name: String = #function, url: String? = nil) async throws -> AMQPConnection {
        try await AMQPConnection.connect(configuration(name: name, url: url), logger: logger)
    }

    /// Runs `body` with the URL of a virtual host of its own on the test broker (the tests' user may do anything
    /// there), and deletes the virtual host afterwards.
    ///
    /// For a test whose messages are routed to every service's queue (the operators' `parked.*` commands): in `/`,
    /// other suites create and delete services' queues all the time, and RabbitMQ 3.10 closes a publisher's
    /// connection with 541 INTERNAL_ERROR when a message it routes meets a queue that is being deleted (seen: 9 of 40
    /// `npq parked replay` runs while a loop declared and deleted queues bound to `parked.replay`).
    public static func withVirtualHost<T>(
        _ prefix: String, _ body: (_ url: String) async throws -> T
    ) async throws
        -> T
    {
        let vhost = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let base = try variable("NPQ_TEST_AMQP_URL")
        guard var components = URLComponents(string: base) else { throw NotConfigured(variable: "NPQ_TEST_AMQP_URL") }
        components.path = "/" + vhost
        guard let url = components.string else { throw NotConfigured(variable: "NPQ_TEST_AMQP_URL") }
        let user = try configuration().user
        try await control("ctl", "-q", "add_vhost", vhost)
        do {
            try await control("ctl", "-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*")
            let result = try await body(url)
            try? await control("ctl", "-q", "delete_vhost", vhost)
            return result
        } catch {
            try? await control("ctl", "-q", "delete_vhost", vhost)
            throw error
        }
    }

    /// A client on `connection` that sends as the tests' broker user, which in-process services take for an
    /// operator (`NPQ_OPERATOR_USERS`): for `parked.*` and `service.status.get`.
    public static func operatorClient(_ connection: AMQPConnection) throws -> NPQClient {
        NPQClient(
            connection: connection, source: "urn:npq:test:operator", appID: "tests", userID: try configuration().user)
    }

    public static let logger: Logger = {
        var logger = Logger(label: "amqp-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["NPQ_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .error
        return logger
    }()

    /// Runs the broker control script (`scripts/broker.sh ACTION DIR`) off the cooperative pool.
    public static func control(_ action: String, _ extra: String...) async throws {
        let script = try variable("NPQ_TEST_BROKER_CONTROL")
        let directory = try variable("NPQ_TEST_BROKER_DIR")
        // posix_spawn and waitpid on a thread of its own: Foundation's Process can wait forever here, because the
        // restarted broker (a daemon) inherits the descriptors it watches.
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var pid: pid_t = 0
                let arguments = ["/bin/bash", script, action, directory] + extra
                var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                guard posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ) == 0 else {
                    continuation.resume(returning: -1)
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: (status >> 8) & 0xff)
            }
        }
        guard status == 0 else { throw ControlFailed(action: action, status: status) }
    }

    /// A queue name no other test uses.
    public static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// The broker control script failed.
public struct ControlFailed: Error, CustomStringConvertible {
    public let action: String
    public let status: Int32
    public var description: String { "broker \(action) failed with status \(status)" }
}

/// Waits until `condition` holds, polling, or the timeout passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// A thread-safe tally of message ids seen by a consumer.
public actor Tally {
    public init() {}
    public private(set) var seen: [String: Int] = [:]
    public func record(_ id: String) { seen[id, default: 0] += 1 }
    public var distinct: Int { seen.count }
    public var duplicates: Int { seen.values.reduce(0) { $0 + max(0, $1 - 1) } }
}

extension TestBroker {
    /// Waits until the service named `name` consumes its queue.
    public static func waitUntilConsuming(_ name: String, connection: AMQPConnection) async -> Bool {
        await eventually(timeout: .seconds(60)) { (try? await connection.inspectQueue("npq.\(name)").consumers) == 1 }
    }

    /// Deletes the queues a service named `name` declared, so later tests' messages do not pile up in them.
    public static func deleteServiceQueues(_ name: String, connection: AMQPConnection) async {
        for suffix in ["", ".parked", ".retry.1", ".retry.2", ".retry.3"] {
            _ = try? await connection.deleteQueue("npq.\(name)\(suffix)")
        }
    }
}
