import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One of the suite's service executables (built beside the test runner), run as a child process on a
/// ``DeployedBroker`` with its own broker user's URL, and its output in a log file.
public final class SuiteProcess: Sendable {
    /// The five services, by the name their executable carries after `npq-`.
    public static let services = ["applications", "eligibility", "cohorts", "senco", "notifications"]

    public let service: String
    public let logFile: String
    public let pid: pid_t
    private let exited = Mutex(false)
    private let broker: DeployedBroker
    private let dataDirectory: URL
    private let extra: [String: String]

    /// Starts `npq-<service>` with its data in `dataDirectory/<service>`, the repository's reference data, the mail
    /// drop in `dataDirectory/<service>/mail`, the deployment's operator as the operator, and then `environment`
    /// (which wins over all of those).
    public init(
        service: String, broker: DeployedBroker, dataDirectory: URL, environment extra: [String: String] = [:]
    ) throws {
        self.service = service
        self.broker = broker
        self.dataDirectory = dataDirectory
        self.extra = extra
        let data = dataDirectory.appendingPathComponent(service)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        logFile = data.appendingPathComponent("\(service).log").path
        let reference = ExecutableRun.repository.appendingPathComponent("reference").path
        let operatorUser = broker.user("npq-operator")
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NPQ_") }
        environment.merge(
            [
                "NPQ_AMQP_URL": try broker.url("npq-\(service)"),
                "NPQ_DATA_DIR": data.path,
                "NPQ_HTTP_PORT": "0",
                "NPQ_LOG_FORMAT": "json",
                "NPQ_LOG_LEVEL": "info",
                "NPQ_COHORTS_REFERENCE_DIR": "\(reference)/cohorts",
                "NPQ_ELIGIBILITY_DIR": "\(reference)/eligibility",
                "NPQ_SCHOOLS_FILE": "\(reference)/eligibility/schools.csv",
                "NPQ_SENCO_REGULATION_FILE": "\(reference)/senco/regulation.json",
                "NPQ_NOTIFICATIONS_TEMPLATES_DIR": "\(reference)/notifications/templates",
                "NPQ_MAIL_DROP_DIR": data.appendingPathComponent("mail").path,
                // The test's user names carry a prefix, so the services are told who the operators are.
                "NPQ_OPERATOR_USERS": operatorUser,
                "NPQ_APPLICATIONS_READERS": operatorUser,
                "NPQ_NOTIFICATIONS_READERS": operatorUser,
            ], uniquingKeysWith: { _, new in new })
        environment.merge(extra, uniquingKeysWith: { _, new in new })

        let executable = ExecutableRun.buildDirectory.appendingPathComponent("npq-\(service)").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SpawnFailed(path: executable, status: ENOENT)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard status == 0 else { throw SpawnFailed(path: executable, status: status) }
        self.pid = pid
    }

    /// Whether the process still runs; reaps it once it has exited.
    public var isRunning: Bool {
        exited.withLock { exited in
            guard !exited else { return false }
            var status: Int32 = 0
            exited = waitpid(pid, &status, WNOHANG) != 0
            return !exited
        }
    }

    /// Everything the process has written so far.
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// The last 15 lines of ``log``, for a failure message.
    public var logTail: String { log.split(separator: "\n").suffix(15).joined(separator: "\n") }

    /// The same service started again on the same data (its log continues in the same file).
    public func restarted() throws -> SuiteProcess {
        try SuiteProcess(service: service, broker: broker, dataDirectory: dataDirectory, environment: extra)
    }

    /// SIGKILL, and waits for the process to be gone (reaped on a thread of its own, off the cooperative pool): no
    /// shutdown, no flushing, as when a machine loses power.
    public func kill() async {
        guard isRunning else { return }
        Glibc.kill(pid, SIGKILL)
        let pid = self.pid
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume()
            }
        }
        exited.withLock { $0 = true }
    }

    /// SIGTERM, and SIGKILL if it has not exited within 15 seconds.
    public func stop() {
        guard isRunning else { return }
        Glibc.kill(pid, SIGTERM)
        for _ in 0..<300 {
            guard isRunning else { return }
            usleep(50_000)
        }
        Glibc.kill(pid, SIGKILL)
        exited.withLock { exited in
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exited = true
        }
    }

    /// The executable could not be started.
    public struct SpawnFailed: Error, CustomStringConvertible {
        let path: String
        let status: Int32
        public var description: String { "could not start \(path): \(String(cString: strerror(status)))" }
    }
}
