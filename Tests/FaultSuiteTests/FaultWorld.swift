import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Synchronization

/// One complete, running suite for a fault scenario: the shipped broker definitions in a virtual host of their own,
/// the development reference data (a cohort open today), a real SMTP server, a real webhook receiver, and the five
/// service executables as child processes, each with its own SQLite database under a scenario directory.
///
/// The scenario can kill (SIGKILL) and restart a service, stop and start the SMTP server, and change how the webhook
/// receiver answers; the broker itself is stopped through ``TestBroker/control(_:_:)``.
final class FaultWorld: Sendable {
    let broker: DeployedBroker
    let directory: URL
    let smtp: SMTPTestServer
    let webhook: WebhookReceiver
    /// The school whose notices also go to the webhook receiver.
    let webhookSchool: String
    /// The cohort open for registration today (`<year>z` of the development reference data).
    let cohort: String
    private let environment: [String: String]
    private let processes: Mutex<[String: SuiteProcess]>
    /// Every process that has run, killed ones included, for their logs.
    private let history = Mutex<[SuiteProcess]>([])

    /// The webhook's signing secret (Standard Webhooks: `whsec_` and base64 of 32 bytes).
    static let webhookSecret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    private init(
        broker: DeployedBroker, directory: URL, smtp: SMTPTestServer, webhook: WebhookReceiver, webhookSchool: String,
        cohort: String, environment: [String: String]
    ) {
        self.broker = broker
        self.directory = directory
        self.smtp = smtp
        self.webhook = webhook
        self.webhookSchool = webhookSchool
        self.cohort = cohort
        self.environment = environment
        self.processes = Mutex([:])
    }

    /// Loads the definitions, writes the reference data, starts the SMTP server, the webhook receiver and the five
    /// services, and returns once every service consumes its queue.
    static func start(scenario: String, webhookSchool: String) async throws -> FaultWorld {
        let broker = try await DeployedBroker.load()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "npq-faults-\(scenario)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let reference = directory.appendingPathComponent("reference")
        let run = try await GeneratorRun(["scripts/dev-reference.py", reference.path])
        guard run.status == 0 else { throw FaultSuiteError("scripts/dev-reference.py: \(run.error)") }
        let year = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "Europe/London")!, from: Date()
        ).year!
        let smtp = try await SMTPTestServer.start()
        let webhook = try WebhookReceiver(secret: webhookSecret)
        let environment = [
            "NPQ_COHORTS_REFERENCE_DIR": reference.appendingPathComponent("cohorts").path,
            "NPQ_ELIGIBILITY_DIR": reference.appendingPathComponent("eligibility").path,
            "NPQ_SCHOOLS_FILE": reference.appendingPathComponent("eligibility/schools.csv").path,
            // The test server speaks plain SMTP on loopback; a deployment's relay would require STARTTLS.
            "NPQ_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)?starttls=never",
            "NPQ_WEBHOOK_ALLOW_HTTP": "true",
            "NPQ_WEBHOOK_TIMEOUT": "2s",
            // Failed deliveries come back within seconds, so that an outage's recovery is measured, not waited out.
            "NPQ_NOTIFICATIONS_RETRY_BASE": "1s",
            "NPQ_NOTIFICATIONS_RETRY_MAX": "4s",
            "NPQ_NOTIFICATIONS_MAX_ATTEMPTS": "100",
            "NPQ_LOG_LEVEL": "notice",
            // The definitions' user names carry the test's prefix, so the conventions are spelt out.
            "NPQ_LEAD_PROVIDER_USERS": WorkloadPlan.leadProviders.map { broker.user("npq-lp-\($0)") + "=" + $0 }
                .joined(separator: ","),
            "NPQ_SCHOOL_USERS": broker.user("npq-school-mis") + "=" + WorkloadPlan.schools.joined(separator: "|"),
        ]
        let world = FaultWorld(
            broker: broker, directory: directory, smtp: smtp, webhook: webhook, webhookSchool: webhookSchool,
            cohort: "\(year)z", environment: environment)
        do {
            for service in SuiteProcess.services {
                try world.launch(service)
            }
            for service in SuiteProcess.services {
                try await world.waitUntilConsuming(service)
            }
        } catch {
            await world.stop()
            throw error
        }
        return world
    }

    private func launch(_ service: String) throws {
        let process = try SuiteProcess(
            service: service, broker: broker, dataDirectory: directory.appendingPathComponent("data"),
            environment: environment)
        processes.withLock { $0[service] = process }
        history.withLock { $0.append(process) }
    }

    /// The running process of `service`.
    func process(_ service: String) -> SuiteProcess? { processes.withLock { $0[service] } }

    /// The path of `service`'s SQLite database.
    func databaseFile(_ service: String) -> String {
        directory.appendingPathComponent("data/\(service)/\(service).sqlite").path
    }

    /// SIGKILLs `service`.
    func kill(_ service: String) async {
        await process(service)?.kill()
    }

    /// Starts `service` again on its data.
    func restart(_ service: String) throws {
        guard let old = process(service) else { throw FaultSuiteError("no process for \(service)") }
        let new = try old.restarted()
        processes.withLock { $0[service] = new }
        history.withLock { $0.append(new) }
    }

    /// Waits until `service` consumes its queue again (its start-up, migrations and reference data, is done).
    func waitUntilConsuming(_ service: String, timeout: Duration = .seconds(120)) async throws {
        let (_, connection) = try await broker.connect("npq-admin")
        defer { Task { await connection.close() } }
        let consuming = await eventually(timeout: timeout) {
            guard process(service)?.isRunning == true else { return true }
            return ((try? await connection.inspectQueue("npq.\(service)"))?.consumers ?? 0) > 0
        }
        guard consuming, process(service)?.isRunning == true else {
            throw FaultSuiteError("npq-\(service) did not start consuming:\n\(process(service)?.logTail ?? "")")
        }
    }

    /// The services that are not running (they should all be, but for the moments a scenario kills one).
    var exited: [String] {
        processes.withLock { $0.values.filter { !$0.isRunning }.map(\.service).sorted() }
    }

    /// How many times each service's log says it crashed or failed badly: lines at level `critical`, or a fatal error.
    func crashes() -> [String: Int] {
        history.withLock { processes in
            processes.reduce(into: [String: Int]()) { counts, process in
                let lines = process.log.split(separator: "\n").filter {
                    $0.contains("\"level\":\"critical\"") || $0.contains("Fatal error")
                }
                counts[process.service, default: 0] += lines.count
            }
        }
    }

    /// The last lines of every service's log, for a failure message.
    var logTails: String {
        processes.withLock { $0.values.map { "npq-\($0.service):\n\($0.logTail)" }.sorted().joined(separator: "\n") }
    }

    /// Stops every service (SIGTERM), the SMTP server and the webhook receiver, and removes the scenario's files.
    func stop() async {
        let running = processes.withLock { Array($0.values) }
        for process in running { process.stop() }
        _ = try? await smtp.stop()
        webhook.stop()
        if ProcessInfo.processInfo.environment["NPQ_FAULTS_KEEP"] == nil {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// The fault suite could not carry out a scenario.
struct FaultSuiteError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
