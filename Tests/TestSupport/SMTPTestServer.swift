import Foundation
import Synchronization

/// A real SMTP server for tests: `scripts/smtp-test-server.py` (aiosmtpd) run by the interpreter in
/// `NPQ_TEST_PYTHON`, listening on 127.0.0.1 and keeping every message it accepts in a spool directory.
///
/// Start it with ``start(_:)`` (it picks a free port), read what arrived with ``received()``, and ``stop()`` it — or
/// use ``withServer(_:_:)``, which stops it on every path. ``start()`` brings a stopped server back on the same port
/// with the same spool, for outage tests. Tests that need it fail, never skip, when `NPQ_TEST_PYTHON` is unset.
public final class SMTPTestServer: Sendable {
    /// How the server behaves; every switch maps to an option of the script.
    public struct Options: Sendable {
        /// Offer and require STARTTLS with this certificate.
        public var startTLS: ServerCertificate?
        /// Speak TLS from the first byte (smtps) with this certificate.
        public var implicitTLS: ServerCertificate?
        /// Offer AUTH and accept only this user and password.
        public var credentials: (user: String, password: String)?
        /// The AUTH mechanisms offered (a subset of PLAIN and LOGIN).
        public var authMechanisms: [String] = ["PLAIN", "LOGIN"]
        /// Answer 550 to RCPT TO for these addresses.
        public var rejectRecipients: [String] = []
        /// Answer 451 after the content of the first N messages.
        public var failDataTimes = 0
        /// Answer 502 to EHLO, so that clients fall back to HELO.
        public var refuseEHLO = false
        /// Send this reply instead of the 220 greeting, then close (e.g. "421 4.3.2 Service not available").
        public var greeting: String?
        /// Accept connections and never greet (for timeouts).
        public var stallGreeting = false

        public init(
            startTLS: ServerCertificate? = nil, implicitTLS: ServerCertificate? = nil,
            credentials: (user: String, password: String)? = nil, authMechanisms: [String] = ["PLAIN", "LOGIN"],
            rejectRecipients: [String] = [], failDataTimes: Int = 0, refuseEHLO: Bool = false,
            greeting: String? = nil, stallGreeting: Bool = false
        ) {
            self.startTLS = startTLS
            self.implicitTLS = implicitTLS
            self.credentials = credentials
            self.authMechanisms = authMechanisms
            self.rejectRecipients = rejectRecipients
            self.failDataTimes = failDataTimes
            self.refuseEHLO = refuseEHLO
            self.greeting = greeting
            self.stallGreeting = stallGreeting
        }

        var arguments: [String] {
            var arguments: [String] = []
            if let startTLS { arguments += ["--starttls", startTLS.certificateFile, startTLS.keyFile] }
            if let implicitTLS { arguments += ["--tls", implicitTLS.certificateFile, implicitTLS.keyFile] }
            if let credentials {
                arguments += ["--auth", "\(credentials.user):\(credentials.password)"]
                arguments += ["--auth-mechanisms", authMechanisms.joined(separator: ",")]
            }
            for address in rejectRecipients { arguments += ["--reject-rcpt", address] }
            if failDataTimes > 0 { arguments += ["--fail-data-times", "\(failDataTimes)"] }
            if refuseEHLO { arguments.append("--refuse-ehlo") }
            if let greeting { arguments += ["--greeting", greeting] }
            if stallGreeting { arguments.append("--stall-greeting") }
            return arguments
        }
    }

    /// One accepted message: its envelope and session, from the script's JSON sidecar, and its bytes as received
    /// after DATA (dot-stuffing undone by the server, nothing else changed).
    public struct Message: Sendable {
        public let mailFrom: String
        public let recipients: [String]
        /// The MAIL FROM parameters, e.g. `SIZE=1234`.
        public let mailOptions: [String]
        /// Whether the session was encrypted (STARTTLS or implicit TLS) when the message arrived.
        public let tls: Bool
        public let authenticated: Bool
        /// `PLAIN` or `LOGIN` when authenticated.
        public let authMechanism: String?
        public let authLogin: String?
        /// The name the client gave with EHLO or HELO.
        public let helo: String?
        public let bytes: [UInt8]

        /// The bytes as text (the messages of these tests are ASCII).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A certificate and key in PEM files, for the server.
    public struct ServerCertificate: Sendable {
        public let certificateFile: String
        public let keyFile: String
    }

    /// A throwaway certificate authority made with `openssl` (EC P-256, valid two days), which issues server
    /// certificates; give ``certificateFile`` to the client as its CA file so it verifies the server for real.
    public struct CertificateAuthority: Sendable {
        public let directory: String
        /// The CA's certificate (PEM): what a client trusts.
        public let certificateFile: String
        let keyFile: String

        /// Makes a CA in a new temporary directory.
        public static func make() async throws -> CertificateAuthority {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "npq-smtp-ca-\(UUID().uuidString.prefix(8))"
            ).path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let authority = CertificateAuthority(
                directory: directory, certificateFile: "\(directory)/ca.pem", keyFile: "\(directory)/ca.key")
            try await SMTPTestServer.runTool(
                "openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", authority.keyFile, "-out", authority.certificateFile, "-days", "2",
                    "-subj", "/CN=NPQ SMTP Test CA \(UUID().uuidString.prefix(8))",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ], log: "\(directory)/openssl.log")
            return authority
        }

        /// Issues a server certificate for these DNS names and IP addresses (by default localhost and 127.0.0.1).
        public func issue(
            dnsNames: [String] = ["localhost"], ipAddresses: [String] = ["127.0.0.1"]
        ) async throws -> ServerCertificate {
            let name = "server-\(UUID().uuidString.prefix(8))"
            let base = "\(directory)/\(name)"
            let alternativeNames = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" })
                .joined(separator: ",")
            let extensions = """
                subjectAltName=\(alternativeNames)
                basicConstraints=critical,CA:FALSE
                keyUsage=critical,digitalSignature
                extendedKeyUsage=serverAuth

                """
            try extensions.write(toFile: "\(base).ext", atomically: true, encoding: .utf8)
            let log = "\(directory)/openssl.log"
            try await SMTPTestServer.runTool(
                "openssl",
                [
                    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(base).key", "-out", "\(base).csr", "-subj", "/CN=\(dnsNames.first ?? "server")",
                ], log: log)
            try await SMTPTestServer.runTool(
                "openssl",
                [
                    "x509", "-req", "-in", "\(base).csr", "-CA", certificateFile, "-CAkey", keyFile,
                    "-CAcreateserial", "-out", "\(base).pem", "-days", "2", "-extfile", "\(base).ext",
                ], log: log)
            return ServerCertificate(certificateFile: "\(base).pem", keyFile: "\(base).key")
        }
    }

    /// `NPQ_TEST_PYTHON` is not set.
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "NPQ_TEST_PYTHON is not set: run the tests with `make test`, or export "
                + "NPQ_TEST_PYTHON=$(scripts/ensure-python.sh) (a Python with aiosmtpd)"
        }
    }

    /// The server did not start or stop as expected.
    public struct ServerFailed: Error, CustomStringConvertible {
        public let reason: String
        public let log: String
        public var description: String { "SMTP test server: \(reason)\n\(log)" }
    }

    /// The port on 127.0.0.1, the same across restarts.
    public let port: Int
    /// Where the server keeps n.eml and n.json per accepted message.
    public let spool: URL
    /// The server's working directory (spool, transcript, output).
    public let directory: URL
    private let options: Options
    private let python: String
    private let pid = Mutex<pid_t>(0)

    private init(port: Int, directory: URL, options: Options, python: String, pid: pid_t) {
        self.port = port
        self.directory = directory
        self.spool = directory.appendingPathComponent("spool")
        self.options = options
        self.python = python
        self.pid.withLock { $0 = pid }
    }

    deinit {
        let pid = self.pid.withLock { $0 }
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The interpreter the tests use, from `NPQ_TEST_PYTHON`.
    public static func pythonPath() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"], !python.isEmpty else {
            throw NotConfigured()
        }
        return python
    }

    /// The script, found from this file.
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/smtp-test-server.py").path
    }

    /// Starts a server on a free port and waits until it listens.
    public static func start(_ options: Options = Options()) async throws -> SMTPTestServer {
        let python = try pythonPath()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "npq-smtp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("spool"), withIntermediateDirectories: true)
        let (pid, port) = try await launch(python: python, directory: directory, port: 0, options: options)
        return SMTPTestServer(port: port, directory: directory, options: options, python: python, pid: pid)
    }

    /// Starts a server, runs `body` with it and stops it, whether `body` returns or throws.
    public static func withServer<Result: Sendable>(
        _ options: Options = Options(), _ body: (SMTPTestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(options)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            _ = try? await server.stop()
            throw error
        }
    }

    /// Starts the stopped server again on the same port, with the same options and spool.
    public func start() async throws {
        guard pid.withLock({ $0 }) == 0 else { throw ServerFailed(reason: "already running", log: log) }
        let (pid, _) = try await Self.launch(python: python, directory: directory, port: port, options: options)
        self.pid.withLock { $0 = pid }
    }

    /// Stops the server with SIGTERM and waits for it; throws unless it exits with status 0.
    public func stop() async throws {
        let pid = self.pid.withLock { value in
            defer { value = 0 }
            return value
        }
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        // Generous: under a full run's load on 2 cores Python's shutdown once took over 10 s.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7f
                let code = (status >> 8) & 0xff
                guard signal == 0, code == 0 else {
                    throw ServerFailed(reason: "exited with status \(code), signal \(signal) on SIGTERM", log: log)
                }
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        throw ServerFailed(reason: "did not exit within 30 s of SIGTERM", log: log)
    }

    /// The messages accepted so far, in order.
    public func received() throws -> [Message] {
        struct Sidecar: Decodable {
            let mail_from: String
            let rcpt_tos: [String]
            let mail_options: [String]
            let tls: Bool
            let authenticated: Bool
            let auth_mechanism: String?
            let auth_login: String?
            let helo: String?
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: spool.path)
        let numbers = names.compactMap { name in name.hasSuffix(".json") ? Int(name.dropLast(5)) : nil }.sorted()
        return try numbers.map { number in
            let sidecar = try JSONDecoder().decode(
                Sidecar.self, from: Data(contentsOf: spool.appendingPathComponent("\(number).json")))
            let bytes = try Data(contentsOf: spool.appendingPathComponent("\(number).eml"))
            return Message(
                mailFrom: sidecar.mail_from, recipients: sidecar.rcpt_tos, mailOptions: sidecar.mail_options,
                tls: sidecar.tls, authenticated: sidecar.authenticated, authMechanism: sidecar.auth_mechanism,
                authLogin: sidecar.auth_login, helo: sidecar.helo, bytes: Array(bytes))
        }
    }

    /// Every byte the server read from its clients so far, after TLS decryption: commands and message content.
    public func transcript() -> String {
        let data = (try? Data(contentsOf: directory.appendingPathComponent("transcript.bin"))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// What the server wrote to standard error, for failure messages.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.err"), encoding: .utf8)) ?? ""
    }

    /// Spawns the script and waits until it prints its port (it prints it once it listens).
    private static func launch(
        python: String, directory: URL, port: Int, options: Options
    ) async throws -> (pid: pid_t, port: Int) {
        let output = directory.appendingPathComponent("server.out").path
        let errors = directory.appendingPathComponent("server.err").path
        let arguments =
            [
                python, script, "--port", "\(port)", "--spool", directory.appendingPathComponent("spool").path,
                "--transcript", directory.appendingPathComponent("transcript.bin").path,
            ] + options.arguments
        let pid = try spawn(arguments, standardOutput: output, standardError: errors, truncateOutput: true)
        // Generous: Python's start under a full test run's load on 2 cores has taken over 15 s.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, text.contains("\n"),
                let listening = Int(line)
            {
                return (pid, listening)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let log = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw ServerFailed(reason: "exited before listening (status \((status >> 8) & 0xff))", log: log)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let log = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        throw ServerFailed(reason: "not listening after 60 s", log: log)
    }

    /// Starts `arguments[0]` (searched in PATH when it has no slash) with its output in files.
    private static func spawn(
        _ arguments: [String], standardOutput: String, standardError: String, truncateOutput: Bool
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, standardOutput, O_WRONLY | O_CREAT | (truncateOutput ? O_TRUNC : O_APPEND), 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The child starts with no signal blocked and SIGTERM/SIGINT at their defaults, whatever the test runner's
        // thread has (posix_spawn would otherwise pass its mask on, and the server would never see SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard status == 0 else {
            throw ServerFailed(reason: "cannot start \(arguments[0]): \(String(cString: strerror(status)))", log: "")
        }
        return pid
    }

    /// Runs a tool to completion (waiting on a thread of its own, off the cooperative pool); throws unless it
    /// exits with status 0. Its output goes to `log`.
    static func runTool(_ tool: String, _ arguments: [String], log: String) async throws {
        let pid = try spawn([tool] + arguments, standardOutput: log, standardError: log, truncateOutput: false)
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ServerFailed(reason: "\(tool) \(arguments.first ?? "") failed (status \(status))", log: output)
        }
    }

    /// Runs `script` with the tests' Python (`NPQ_TEST_PYTHON`) and `arguments`, and returns its standard output;
    /// for checking messages with Python's own `email` package.
    public static func runPython(_ script: String, arguments: [String] = []) async throws -> String {
        let python = try pythonPath()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "npq-python-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptFile = directory.appendingPathComponent("check.py").path
        let output = directory.appendingPathComponent("output").path
        try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
        let pid = try spawn(
            [python, scriptFile] + arguments, standardOutput: output,
            standardError: directory.appendingPathComponent("errors").path, truncateOutput: true)
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: directory.appendingPathComponent("errors").path, encoding: .utf8))
            throw ServerFailed(reason: "python script failed (status \(status))", log: errors ?? "")
        }
        return try String(contentsOfFile: output, encoding: .utf8)
    }
}
