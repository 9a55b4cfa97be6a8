import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// The deployment files agree with the code: `docker-compose.yml` passes `docker-compose config` and runs exactly the
/// service executables Package.swift declares, each with variables it reads; `deploy/rabbitmq/roles.json` binds and
/// permits exactly what each service's code handles and publishes; the checked-in definitions are what
/// `scripts/definitions.py` generates from it. Offline: no broker, no Docker engine (only the `docker-compose` tool).
@Suite("Deployment files (docker-compose.yml, broker roles and definitions)")
struct ComposeFileTests {
    static let repository = ExecutableRun.repository
    static let composeFile = repository.appendingPathComponent("docker-compose.yml")

    // MARK: docker-compose.yml

    @Test("docker-compose config accepts docker-compose.yml")
    func composeConfigPasses() async throws {
        let services = try await ComposeFile.load(Self.composeFile).services
        #expect(Set(services.keys).isSuperset(of: ["rabbitmq", "mailpit"]))
    }

    @Test(
        "every service in docker-compose.yml is an executable of Package.swift, and every NPQ_ variable it sets is read"
    )
    func composeMatchesThePackage() async throws {
        let compose = try await ComposeFile.load(Self.composeFile)
        let problems = try DeploymentCheck.current().problems(in: compose)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(
        "a renamed service or variable in a copy of docker-compose.yml is caught",
        arguments: [
            (
                "  npq-cohorts:\n", "  npq-cohort:\n",
                [
                    "npq-cohort is not an executable product of Package.swift",
                    "the executable npq-cohorts has no service in docker-compose.yml",
                ]
            ),
            ("NPQ_SMTP_URL:", "NPQ_SMTP_URI:", ["npq-notifications sets NPQ_SMTP_URI, which it never reads"]),
            (
                "NPQ_OPERATOR_USERS: npq-operator\n    secrets:\n      - npq-eligibility",
                "NPQ_APPLICATIONS_READERS: npq-operator\n    secrets:\n      - npq-eligibility",
                ["npq-eligibility sets NPQ_APPLICATIONS_READERS, which it never reads"]
            ),
            (
                "file: ./deploy/secrets/amqp-url/npq-senco\n", "file: ./deploy/secrets/amqp-url/npq-cohorts\n",
                ["npq-senco reads its broker URL from"]
            ),
        ])
    func renamedIsCaught(original: String, replacement: String, expected: [String]) async throws {
        let text = try String(contentsOf: Self.composeFile, encoding: .utf8)
        #expect(text.contains(original), "the test's edit no longer applies to docker-compose.yml")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-compose-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("docker-compose.yml")
        try text.replacingOccurrences(of: original, with: replacement).write(
            to: copy, atomically: true, encoding: .utf8)

        // Still a valid compose file (relative paths resolved against the repository): only the check can tell.
        let compose = try await ComposeFile.load(copy, projectDirectory: Self.repository)
        let problems = try DeploymentCheck.current().problems(in: compose)
        for message in expected {
            #expect(problems.contains { $0.contains(message) }, "expected '\(message)' among: \(problems)")
        }
    }

    // MARK: roles.json against the code

    @Test("roles.json binds each service to exactly the messages its handlers take, and lets it publish what it emits")
    func serviceRolesMatchTheSources() throws {
        let roles = try Roles.load()
        let contractsByTypeName = Dictionary(
            MessageCatalog.all.map { (String(describing: $0), $0) }, uniquingKeysWith: { first, _ in first })
        let events = MessageCatalog.all.filter { $0.kind == .event }
        #expect(Set(roles.services.keys) == Set(DeploymentCheck.serviceDirectories().keys))
        for (service, directory) in DeploymentCheck.serviceDirectories() {
            let sources = try DeploymentCheck.swiftSources(under: directory).joined(separator: "\n")
            let handled = Set(
                DeploymentCheck.matches(of: #"app\.on\(\s*([A-Za-z0-9_]+)\.self"#, in: sources).map { type in
                    contractsByTypeName[type].map { $0.name } ?? "unknown type \(type)"
                })
            // Every event type the service constructs, plus message.rejected, which the runtime publishes for it.
            let emitted = Set(
                events.filter {
                    sources.range(of: #"\b\#(String(describing: $0))\("#, options: .regularExpression) != nil
                }
                .map { $0.name } + [MessageRejected.name])
            let spec = try #require(roles.services[service], "roles.json has no service \(service)")
            #expect(Set(spec.consumes) == handled, "\(service) consumes: roles.json \(spec.consumes.sorted())")
            #expect(Set(spec.publishes) == emitted, "\(service) publishes: roles.json \(spec.publishes.sorted())")
        }
    }

    @Test("roles.json's runtime section is what every service's runtime handles and publishes for the operators")
    func runtimeRolesMatchTheSources() throws {
        let roles = try Roles.load()
        let contractsByTypeName = Dictionary(
            MessageCatalog.all.map { (String(describing: $0), $0) }, uniquingKeysWith: { first, _ in first })
        let directory = ComposeFileTests.repository.appendingPathComponent("Shared/ServiceRuntime")
        let sources = try DeploymentCheck.swiftSources(under: directory).joined(separator: "\n")
        let handled = Set(
            DeploymentCheck.matches(of: #"router\.on\(\s*([A-Za-z0-9_]+)\.self"#, in: sources).map { type in
                contractsByTypeName[type].map { $0.name } ?? "unknown type \(type)"
            })
        // The events it publishes itself (message.rejected is listed with each service).
        let emitted = Set(
            MessageCatalog.all.filter {
                $0.kind == .event && $0 != MessageRejected.self
                    && sources.range(of: #"\b\#(String(describing: $0))\("#, options: .regularExpression) != nil
            }.map { $0.name })
        #expect(!handled.isEmpty)
        #expect(
            Set(roles.runtime.consumes) == handled, "runtime consumes: roles.json \(roles.runtime.consumes.sorted())")
        #expect(Set(roles.runtime.publishes) == emitted, "runtime publishes: roles.json \(roles.runtime.publishes)")
    }

    @Test("the generator reads the contract catalog, the exchanges and the queue settings the code has")
    func generatorInputsMatchTheCode() async throws {
        let run = try await ProgramRun.python(["scripts/definitions.py", "catalog"])
        #expect(run.status == 0, "\(run.error)")
        let listed = run.output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let expected = MessageCatalog.all.map { [$0.typeName, $0.kind.rawValue] }
        #expect(listed.sorted { $0.joined() < $1.joined() } == expected.sorted { $0.joined() < $1.joined() })

        let roles = try Roles.load()
        #expect(roles.exchanges.commands == Topology.commandsExchange)
        #expect(roles.exchanges.events == Topology.eventsExchange)
        #expect(roles.exchanges.deadLetter == Topology.deadLetterExchange)
        #expect(roles.serviceQueues.deliveryLimit == ServiceTopology.defaultDeliveryLimit)
        #expect(
            roles.serviceQueues.retryDelaysMilliseconds
                == ServiceTopology.defaultRetryDelays.map { Int($0.components.seconds * 1000) })
    }

    @Test("deploy/rabbitmq/definitions.json is what scripts/definitions.py generates, and holds no password hash")
    func checkedInDefinitionsAreCurrent() async throws {
        let run = try await ProgramRun.python(["scripts/definitions.py", "generate"])
        #expect(run.status == 0, "\(run.error)")
        let checkedIn = try String(
            contentsOf: Self.repository.appendingPathComponent("deploy/rabbitmq/definitions.json"), encoding: .utf8)
        #expect(
            run.output == checkedIn,
            "regenerate it: python3 scripts/definitions.py generate --output deploy/rabbitmq/definitions.json")
        let definitions = try #require(
            try JSONSerialization.jsonObject(with: Data(checkedIn.utf8)) as? [String: Any])
        let users = try #require(definitions["users"] as? [[String: Any]])
        #expect(!users.isEmpty)
        #expect(users.allSatisfy { ($0["password_hash"] as? String) == "" && $0["password"] == nil })
        // Nobody may set another user's user_id.
        #expect(users.allSatisfy { !(($0["tags"] as? [String]) ?? []).contains("impersonator") })
    }
}

// MARK: - The compose file

/// `docker-compose config` of a compose file, parsed.
struct ComposeFile {
    let services: [String: [String: Any]]
    let secrets: [String: [String: Any]]

    /// Runs `docker-compose -f FILE config` (which must succeed) and parses what it prints.
    static func load(_ file: URL, projectDirectory: URL? = nil) async throws -> ComposeFile {
        var arguments = ["docker-compose", "-f", file.path]
        if let projectDirectory { arguments += ["--project-directory", projectDirectory.path] }
        let config = try await ProgramRun("/usr/bin/env", arguments + ["config"])
        guard config.status != 127 else {
            throw DeploymentProblem(
                "docker-compose is missing: install Debian's docker-compose package "
                    + "(scripts/ensure-deps.sh docker-compose); the deployment tests need it")
        }
        guard config.status == 0 else {
            throw DeploymentProblem("docker-compose config refused \(file.path):\n\(config.error)")
        }
        // docker-compose is Python with PyYAML; the same library turns its output into JSON.
        let json = try await ProgramRun.python(
            ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
            input: Data(config.output.utf8))
        guard json.status == 0,
            let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8))
                as? [String: Any]
        else {
            throw DeploymentProblem("could not read docker-compose's output as YAML: \(json.error)")
        }
        return ComposeFile(
            services: document["services"] as? [String: [String: Any]] ?? [:],
            secrets: document["secrets"] as? [String: [String: Any]] ?? [:])
    }
}

/// What the compose file must agree with: the executables of Package.swift and the variables each service reads.
struct DeploymentCheck {
    /// Executable products of Package.swift.
    let executables: Set<String>
    /// The `NPQ_*` names every service reads (ServiceConfiguration).
    let common: Set<String>
    /// The `NPQ_*` names each service's own sources read, by service name (`applications`).
    let own: [String: Set<String>]

    static func current() throws -> DeploymentCheck {
        let manifest = try String(
            contentsOf: ComposeFileTests.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let executables = Set(matches(of: #"\.executable\(\s*name:\s*"([^"]+)""#, in: manifest))
        let configuration = try String(
            contentsOf: ComposeFileTests.repository.appendingPathComponent(
                "Shared/ServiceRuntime/ServiceConfiguration.swift"), encoding: .utf8)
        var own: [String: Set<String>] = [:]
        for (service, directory) in serviceDirectories() {
            own[service] = Set(try swiftSources(under: directory).flatMap { variables(in: $0) })
        }
        return DeploymentCheck(executables: executables, common: Set(variables(in: configuration)), own: own)
    }

    /// Everything wrong with `compose`, one sentence each.
    func problems(in compose: ComposeFile) -> [String] {
        var problems: [String] = []
        let suite = compose.services.filter { $0.key.hasPrefix("npq-") || $0.value["build"] != nil }
        let serviceExecutables = executables.filter { $0.hasPrefix("npq-") }
        for name in serviceExecutables.subtracting(suite.keys).sorted() {
            problems.append("the executable \(name) has no service in docker-compose.yml")
        }
        for (name, service) in suite.sorted(by: { $0.key < $1.key }) {
            guard serviceExecutables.contains(name) else {
                problems.append("\(name) is not an executable product of Package.swift (\(executables.sorted()))")
                continue
            }
            let command = service["command"] as? [String] ?? []
            if command.first != name {
                problems.append("\(name) runs \(command), not its executable \(name)")
            }
            let serviceName = String(name.dropFirst("npq-".count))
            let read = common.union(own[serviceName] ?? [])
            if own[serviceName] == nil {
                problems.append("\(name) has no directory under Services/")
            }
            let environment = service["environment"] as? [String: Any] ?? [:]
            for variable in environment.keys.sorted() where variable.hasPrefix("NPQ_") {
                let base = variable.hasSuffix("_FILE") ? String(variable.dropLast("_FILE".count)) : variable
                if !read.contains(variable) && !read.contains(base) {
                    problems.append("\(name) sets \(variable), which it never reads")
                }
            }
            problems += wiring(of: name, service, environment: environment, compose: compose)
        }
        return problems
    }

    /// The health check, the broker dependency, the data volume and the broker URL's secret of one service.
    private func wiring(
        of name: String, _ service: [String: Any], environment: [String: Any], compose: ComposeFile
    ) -> [String] {
        var problems: [String] = []
        let port = environment["NPQ_HTTP_PORT"].map { "\($0)" } ?? "8080"
        let health = (service["healthcheck"] as? [String: Any])?["test"] as? [String] ?? []
        if !health.contains(where: { $0.contains("127.0.0.1:\(port)/health/ready") }) {
            problems.append("\(name)'s health check does not ask /health/ready on NPQ_HTTP_PORT \(port): \(health)")
        }
        let broker = (service["depends_on"] as? [String: Any])?["rabbitmq"] as? [String: Any]
        if broker?["condition"] as? String != "service_healthy" {
            problems.append("\(name) does not wait for a healthy rabbitmq")
        }
        let dataDirectory = environment["NPQ_DATA_DIR"] as? String ?? ""
        let volumes = service["volumes"] as? [String] ?? []
        if dataDirectory.isEmpty
            || !volumes.contains(where: { $0.split(separator: ":").dropFirst().first == "\(dataDirectory)" })
        {
            problems.append("\(name) keeps NPQ_DATA_DIR '\(dataDirectory)' on no volume: \(volumes)")
        }
        if service["restart"] == nil {
            problems.append("\(name) has no restart policy")
        }
        // Its own broker user's URL: the secret the generator writes for npq-<service>.
        let urlFile = environment["NPQ_AMQP_URL_FILE"] as? String ?? ""
        let secrets = (service["secrets"] as? [[String: Any]] ?? []).compactMap { $0["source"] as? String }
        let secret = secrets.first { urlFile == "/run/secrets/\($0)" }
        let file = secret.flatMap { compose.secrets[$0]?["file"] as? String } ?? ""
        if !file.hasSuffix("/deploy/secrets/amqp-url/\(name)") {
            problems.append(
                "\(name) reads its broker URL from '\(urlFile)' (secret file '\(file)'), not its own user's "
                    + "deploy/secrets/amqp-url/\(name)")
        }
        return problems
    }

    /// The service directories under Services/ by service name: `SENCO` is `senco`.
    static func serviceDirectories() -> [String: URL] {
        let root = ComposeFileTests.repository.appendingPathComponent("Services")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return Dictionary(
            names.map { ($0.lowercased(), root.appendingPathComponent($0)) }, uniquingKeysWith: { first, _ in first })
    }

    static func swiftSources(under directory: URL) throws -> [String] {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return try files.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map {
            try String(contentsOf: $0, encoding: .utf8)
        }
    }

    /// The `"NPQ_…"` string literals of a source: the variables it reads (through ConfigurationReader).
    static func variables(in source: String) -> [String] {
        matches(of: #""(NPQ_[A-Z0-9_]+)""#, in: source)
    }

    /// The first capture group of every match of `pattern`.
    static func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

// MARK: - roles.json

/// The parts of `deploy/rabbitmq/roles.json` the tests compare with the code.
struct Roles: Decodable {
    struct Exchanges: Decodable {
        let commands: String
        let events: String
        let deadLetter: String
    }
    struct ServiceQueues: Decodable {
        let deliveryLimit: Int
        let retryDelaysMilliseconds: [Int]
    }
    struct Service: Decodable {
        let consumes: [String]
        let publishes: [String]
    }

    let exchanges: Exchanges
    let serviceQueues: ServiceQueues
    /// What every service's runtime consumes and publishes besides its own handlers.
    let runtime: Service
    let services: [String: Service]

    static func load() throws -> Roles {
        let file = ComposeFileTests.repository.appendingPathComponent("deploy/rabbitmq/roles.json")
        return try JSONDecoder().decode(Roles.self, from: Data(contentsOf: file))
    }
}

// MARK: - Running programs

/// A deployment file or tool is not as the tests need it.
struct DeploymentProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One run of a program outside the build directory (docker-compose, Python) to completion, with its output.
struct ProgramRun {
    let status: Int32
    let output: String
    let error: String

    /// Runs `executable arguments` in the repository with `input` on standard input; killed after `timeout`.
    init(
        _ executable: String, _ arguments: [String], input: Data = Data(), timeout: Duration = .seconds(120)
    )
        async throws
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = ComposeFileTests.repository
        let temporary = FileManager.default.temporaryDirectory
        let files = (0..<3).map { _ in temporary.appendingPathComponent("npq-run-\(UUID().uuidString)") }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        _ = FileManager.default.createFile(atPath: files[0].path, contents: input)
        _ = FileManager.default.createFile(atPath: files[1].path, contents: nil)
        _ = FileManager.default.createFile(atPath: files[2].path, contents: nil)
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { process.terminate() }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        status = process.terminationStatus
        output = String(decoding: (try? Data(contentsOf: files[1])) ?? Data(), as: UTF8.self)
        error = String(decoding: (try? Data(contentsOf: files[2])) ?? Data(), as: UTF8.self)
    }

    /// Runs Python with PyYAML: `NPQ_TEST_PYTHON` (the test command's environment), else Debian's python3, which
    /// the docker-compose package brings with PyYAML.
    static func python(_ arguments: [String], input: Data = Data()) async throws -> ProgramRun {
        let python = ProcessInfo.processInfo.environment["NPQ_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        guard
            let interpreter = python
                ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
                    ? "/usr/bin/python3" : nil)
        else {
            throw DeploymentProblem("no Python: set NPQ_TEST_PYTHON (make test does) or install python3")
        }
        return try await ProgramRun(interpreter, arguments, input: input)
    }
}
