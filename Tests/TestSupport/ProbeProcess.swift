import Foundation

/// The `runtime-probe` executable, started as a child process with its own data directory, so tests can kill it
/// (SIGKILL), stop it (SIGTERM) and start it again on the same data.
public final class ProbeProcess: @unchecked Sendable {
    public let serviceName: String
    public let dataDirectory: String
    public let logFile: String
    private let extraEnvironment: [String: String]
    private var pid: pid_t = 0

    public init(serviceName: String, dataDirectory: String, environment: [String: String] = [:]) {
        self.serviceName = serviceName
        self.dataDirectory = dataDirectory
        self.logFile = "\(dataDirectory)/\(serviceName).log"
        self.extraEnvironment = environment
    }

    /// The probe's database file.
    public var databasePath: String { "\(dataDirectory)/\(serviceName).sqlite" }

    /// The probe binary, built beside the test runner.
    static var executable: String {
        let runner =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("runtime-probe").path
    }

    /// Starts the probe; `environment` is added to the test broker's address and the probe's settings.
    public func start(environment overrides: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["NPQ_AMQP_URL"] = try TestBroker.variable("NPQ_TEST_AMQP_URL")
        environment["NPQ_SERVICE_NAME"] = serviceName
        environment["NPQ_DATA_DIR"] = dataDirectory
        environment["NPQ_HTTP_PORT"] = "0"
        environment["NPQ_OPERATOR_USERS"] = try TestBroker.configuration().user
        environment["NPQ_LOG_FORMAT"] = "json"
        environment["NPQ_LOG_LEVEL"] = environment["NPQ_TEST_LOG_LEVEL"] ?? "info"
        for (key, value) in extraEnvironment { environment[key] = value }
        for (key, value) in overrides { environment[key] = value }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = [Self.executable]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let status = posix_spawn(&pid, Self.executable, &actions, nil, &argv, &envp)
        guard status == 0 else { throw SpawnFailed(path: Self.executable, status: status) }
    }

    /// Sends a signal to the running probe.
    public func signal(_ signal: Int32) { if pid > 0 { kill(pid, signal) } }

    /// Waits (off the cooperative pool) for the probe to exit and returns how: the exit status, or 128 + signal.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let pid = self.pid
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                self.pid = 0
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Whether the probe process is still running.
    public var isRunning: Bool { pid > 0 && kill(pid, 0) == 0 }

    /// The probe's log so far, for failure messages.
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// The probe could not be started.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public let path: String
        public let status: Int32
        public var description: String { "could not start \(path): \(String(cString: strerror(status)))" }
    }
}
