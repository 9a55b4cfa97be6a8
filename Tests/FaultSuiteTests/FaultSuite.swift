import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Synchronization
import Testing

/// The fault suite: the whole system under each fault, counted. `make test-faults` runs it (and `.ci/run` calls that
/// after `make test`); each scenario starts a suite of its own, drives the workload, injects its fault mid-stream and
/// checks that every effect happened exactly once, then writes its figures (``ScenarioResult``).
///
/// The suite name ends in `FaultSuite`, not `FaultTests`: `make test`'s two passes leave it out. It stops the broker
/// and takes minutes, so it runs only where `scripts/test-faults.sh` says where its results go (`NPQ_FAULTS_RESULTS`):
/// never beside other tests by accident.
@Suite(
    "Fault suite: the five services under kills, outages and hostile input", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["NPQ_FAULTS_RESULTS"] != nil,
        "run by make test-faults (scripts/test-faults.sh), which sets NPQ_FAULTS_RESULTS"))
struct FaultSuite {
    /// Scales every scenario's application count (`NPQ_FAULTS_SCALE`, default 1).
    static let scale = Double(ProcessInfo.processInfo.environment["NPQ_FAULTS_SCALE"] ?? "") ?? 1
    /// Applications per second offered (`NPQ_FAULTS_RATE`, default 8: what a debug build keeps up with on 2 cores).
    static let rate = Double(ProcessInfo.processInfo.environment["NPQ_FAULTS_RATE"] ?? "") ?? 8

    static func plan(_ applications: Int, senco: Int = 40, contacts: Int = 8) -> WorkloadPlan {
        WorkloadPlan(
            applications: max(8, Int((Double(applications) * scale).rounded())), sencoAppointments: senco,
            contactRegistrations: contacts, applicationsPerSecond: rate)
    }

    @Test("1. SIGKILL each service in turn at a random moment mid-stream, then restart it")
    func killEachService() async throws {
        try await Scenario.run(
            order: 1, id: "kill", fault: "SIGKILL each of the 5 services in turn mid-stream; restart after 0.5–2 s",
            plan: Self.plan(600)
        ) { run in
            var random = SplitMix64(seed: 8_001)
            var recoveries: [Scenario.Recovery] = []
            let services = SuiteProcess.services
            for (number, service) in services.enumerated() {
                let share = (Double(number) + 0.5 + Double.random(in: -0.3...0.3, using: &random))
                let at = Int(Double(run.plan.applications) * share / Double(services.count + 1))
                try await run.waitUntilSubmitted(at)
                try run.requireMidStream("the SIGKILL of npq-\(service)")
                await run.world.kill(service)
                try await Task.sleep(for: .milliseconds(Int.random(in: 500...2_000, using: &random)))
                let restarted = ContinuousClock.now
                try run.world.restart(service)
                try await run.world.waitUntilConsuming(service)
                // Measured meanwhile: the next kill does not wait for this recovery, so that every kill is mid-stream.
                recoveries.append(run.measureRecovery(since: restarted))
            }
            return try await Scenario.seconds(recoveries)
        }
    }

    @Test("2. Stop the broker for 15 s mid-stream and start it again; the services recover alone")
    func brokerOutage() async throws {
        try await Scenario.run(
            order: 2, id: "broker-outage", fault: "RabbitMQ stopped for 15 s mid-stream, then started",
            plan: Self.plan(400)
        ) { run in
            try await run.waitUntilSubmitted(run.plan.applications / 3)
            try await TestBroker.control("stop-app")
            // Whatever happens meanwhile, the broker is started again: the scenarios after this one need it.
            do {
                try await Task.sleep(for: .seconds(15))
            } catch {
                try? await TestBroker.control("start-app")
                throw error
            }
            let started = ContinuousClock.now
            let expected = run.ledger.expectedKeys()
            try await TestBroker.control("start-app")
            return [try await run.recovery(since: started, of: expected)]
        }
    }

    @Test("3. SMTP server down, webhook receiver answering 500 and then timing out; both come back")
    func channelOutage() async throws {
        try await Scenario.run(
            order: 3, id: "smtp-webhook-outage",
            fault: "SMTP server stopped 20 s; webhook answers 500 for 10 s, then stalls past the 2 s timeout for 10 s",
            plan: Self.plan(400)
        ) { run in
            try await run.waitUntilSubmitted(run.plan.applications / 4)
            try await run.world.smtp.stop()
            try run.world.webhook.behave(.fail)
            try await Task.sleep(for: .seconds(10))
            try run.world.webhook.behave(.stall)
            try await Task.sleep(for: .seconds(10))
            let restored = ContinuousClock.now
            let expected = run.ledger.expectedKeys()
            try await run.world.smtp.start()
            try run.world.webhook.behave(.normal)
            return [try await run.recovery(since: restored, of: expected)]
        }
    }

    @Test("4. A service's database file locked by another process for 5 s")
    func databaseLocked() async throws {
        try await Scenario.run(
            order: 4, id: "database-locked",
            fault: "an exclusive SQLite lock held 5 s on the applications database, then on the notifications one",
            plan: Self.plan(400)
        ) { run in
            var recoveries: [Scenario.Recovery] = []
            for (share, service) in [(0.3, "applications"), (0.6, "notifications")] {
                try await run.waitUntilSubmitted(Int(Double(run.plan.applications) * share))
                try run.requireMidStream("the lock on the \(service) database")
                try await DatabaseLock.hold(run.world.databaseFile(service), seconds: 5)
                recoveries.append(run.measureRecovery(since: .now))
            }
            return try await Scenario.seconds(recoveries)
        }
    }

    @Test("5. 10,000 hostile messages published straight to npq.commands, beside valid traffic")
    func hostileInput() async throws {
        try await Scenario.run(
            order: 5, id: "hostile-input",
            fault: "10,000 generated hostile messages (15 kinds) among the workload", plan: Self.plan(300)
        ) { run in
            try await run.waitUntilSubmitted(run.plan.applications / 5)
            try await HostileRun.publish(run)
            return []
        }
    }

    @Test("6. Every message published twice with the same message id")
    func duplicateDelivery() async throws {
        var plan = Self.plan(400)
        plan.publishTwice = true
        try await Scenario.run(
            order: 6, id: "duplicate-delivery", fault: "every workload message published twice, same message id",
            plan: plan
        ) { _ in [] }
    }
}

/// A running scenario: its suite, books and driver, and how far the workload has got.
final class Scenario: Sendable {
    let world: FaultWorld
    let ledger: Ledger
    let driver: WorkloadDriver
    let plan: WorkloadPlan
    private let submitted = Mutex(0)
    /// Set when the workload has finished, or failed: nothing waits for more applications then.
    let workloadEnded = Mutex(false)
    let hostile = Mutex<ScenarioResult.Hostile?>(nil)
    let hostileIDs = Mutex<Set<String>>([])

    private init(world: FaultWorld, ledger: Ledger, driver: WorkloadDriver, plan: WorkloadPlan) {
        self.world = world
        self.ledger = ledger
        self.driver = driver
        self.plan = plan
    }

    /// Waits until the workload has submitted `count` applications; fails if it ends before, or in 10 minutes.
    func waitUntilSubmitted(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while submitted.withLock({ $0 }) < min(count, plan.applications) {
            if workloadEnded.withLock({ $0 }) {
                throw FaultSuiteError(
                    "the workload ended after \(submitted.withLock { $0 }) applications, before \(count)")
            }
            guard ContinuousClock.now < deadline else {
                throw FaultSuiteError("the workload had not submitted \(count) applications after 10 minutes")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Fails unless the workload is still submitting: a fault after the stream would prove nothing about it.
    func requireMidStream(_ fault: String) throws {
        let count = submitted.withLock { $0 }
        guard count < plan.applications, !workloadEnded.withLock({ $0 }) else {
            throw FaultSuiteError("\(fault) came after the stream had ended (\(count) of \(plan.applications) sent)")
        }
    }

    /// Reads the SMTP server's and the webhook receiver's records into the books.
    func readChannels() throws {
        ledger.recordChannels(emails: try world.smtp.received(), webhookCalls: try world.webhook.calls())
    }

    /// A recovery being measured while the scenario goes on.
    typealias Recovery = Task<Double, any Error>

    /// Starts measuring the recovery from `start` of every effect expected now (``recovery(since:of:)``).
    func measureRecovery(since start: ContinuousClock.Instant) -> Recovery {
        let expected = ledger.expectedKeys()
        return Task { try await recovery(since: start, of: expected) }
    }

    /// The seconds of each recovery, once all are measured.
    static func seconds(_ recoveries: [Recovery]) async throws -> [Double] {
        var seconds: [Double] = []
        for recovery in recoveries { seconds.append(try await recovery.value) }
        return seconds
    }

    /// Seconds from `start` (the end of a fault) until every effect of `expected` — what the workload had sent by
    /// then must cause, in every service: assessments, acceptances, schedules, SENCO deadlines and reminders, contact
    /// registrations, emails and webhook calls — has been observed. Gives up after 5 minutes.
    func recovery(
        since start: ContinuousClock.Instant, of expected: [Ledger.Effect: Set<String>]
    ) async throws
        -> Double
    {
        let deadline = start + .seconds(300)
        while ContinuousClock.now < deadline {
            try readChannels()
            if ledger.observedAll(expected) {
                return ((ContinuousClock.now - start) / .milliseconds(100)).rounded() / 10
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        ledger.note("no recovery within 300 s of the fault's end")
        return 300
    }

    /// Starts a suite, runs the workload with `fault` beside it, waits for every effect, writes the result and
    /// checks it: nothing lost, nothing duplicated, no crash, every service still running.
    static func run(
        order: Int, id: String, fault description: String, plan: WorkloadPlan,
        fault: @escaping @Sendable (Scenario) async throws -> [Double]
    ) async throws {
        let began = ContinuousClock.now
        let world = try await FaultWorld.start(scenario: id, webhookSchool: "100101")
        let ledger = Ledger(webhookSchool: world.webhookSchool)
        let tap: LedgerTap
        let driver: WorkloadDriver
        do {
            tap = try await LedgerTap(world: world, ledger: ledger)
        } catch {
            await world.stop()
            throw error
        }
        do {
            driver = try await WorkloadDriver.connect(world: world, ledger: ledger, plan: plan)
        } catch {
            await tap.stop()
            await world.stop()
            throw error
        }
        let scenario = Scenario(world: world, ledger: ledger, driver: driver, plan: plan)
        var result: ScenarioResult?
        do {
            // The schools' contacts first, so that every notice has somewhere to go.
            try await driver.registerContacts(round: 0)
            let registered = await eventually(timeout: .seconds(60)) {
                (ledger.counts()[.contactsRegistered]?.observed ?? 0) >= WorkloadPlan.schools.count
            }
            guard registered else { throw FaultSuiteError("the schools' contacts were not registered") }
            try await driver.startAccepting()

            let workload = Task {
                defer { scenario.workloadEnded.withLock { $0 = true } }
                try await driver.run { count in scenario.submitted.withLock { $0 = count } }
            }
            let faulting = Task { try await fault(scenario) }
            let recoveries: [Double]
            do {
                recoveries = try await faulting.value
                try await workload.value
            } catch {
                workload.cancel()
                faulting.cancel()
                throw error
            }
            try await scenario.waitForEffects()
            try await scenario.waitForHostileOutcomes()
            result = try scenario.result(
                order: order, id: id, fault: description, recoveries: recoveries,
                seconds: (ContinuousClock.now - began) / .seconds(1))
        } catch {
            Issue.record("\(id): \(error)\n\(world.logTails)")
        }
        await driver.close()
        await tap.stop()
        let exited = world.exited
        let tails = world.logTails
        await world.stop()
        guard let result else { return }
        try result.write()
        print(
            "fault suite \(id): sent \(result.sent), effects expected \(result.totals.expected), observed "
                + "\(result.totals.observed), lost \(result.totals.lost), duplicated \(result.totals.duplicated), "
                + "resent \(result.totals.resent), parked "
                + "\(result.parked.values.reduce(0, +)), recovery \(result.recoverySeconds) s, "
                + "\(Int(result.durationSeconds)) s in all")
        #expect(result.totals.lost == 0, "\(id): lost effects \(result.effects.filter { $0.value.lost > 0 })\n\(tails)")
        #expect(result.totals.duplicated == 0, "\(id): duplicated \(result.effects.filter { $0.value.duplicated > 0 })")
        #expect(result.totals.unexpected == 0, "\(id): unexpected \(result.effects.filter { $0.value.unexpected > 0 })")
        #expect(result.crashes == 0, "\(id): crashes in the logs\n\(tails)")
        #expect(exited.isEmpty, "\(id): stopped: \(exited)\n\(tails)")
        if result.hostile == nil {
            #expect(result.parked.isEmpty, "\(id): valid traffic was parked: \(result.parked)")
        }
        if let hostile = result.hostile {
            #expect(hostile.unaccounted == 0, "\(id): hostile messages without an outcome: \(hostile.byKind)")
        }
        #expect(result.notes.isEmpty, "\(id): \(result.notes.prefix(10))")
    }

    /// Waits until every expected effect has been observed and the services are quiet, then 3 s more for late
    /// duplicates. Fails when nothing has moved for 120 s.
    func waitForEffects() async throws {
        var last = ledger.counts().values.map(\.observed).reduce(0, +)
        var lastChange = ContinuousClock.now
        while true {
            try readChannels()
            let observed = ledger.counts().values.map(\.observed).reduce(0, +)
            if observed != last {
                last = observed
                lastChange = .now
            }
            if ledger.complete { break }
            if ContinuousClock.now - lastChange > .seconds(120) {
                ledger.note("effects stopped arriving with some still missing")
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        try await Task.sleep(for: .seconds(3))
        try readChannels()
    }

    /// With hostile input: waits until every hostile message has its outcome (its `message.rejected`, or for the
    /// injection names the applicant's email), or nothing has moved for 120 s.
    func waitForHostileOutcomes() async throws {
        guard hostile.withLock({ $0 != nil }) else { return }
        let ids = hostileIDs.withLock { $0 }
        let expected = HostileRun.pendingKinds.withLock { kinds in
            kinds.values.filter { !$0.isRefusedByBroker }.count
        }
        var last = -1
        var lastChange = ContinuousClock.now
        while true {
            let rejected = ledger.rejections.keys.filter { ids.contains($0) }.count
            try readChannels()
            let outcomes = rejected + ledger.injectionEmails.count
            if outcomes >= expected { return }
            if outcomes != last {
                last = outcomes
                lastChange = .now
            }
            if ContinuousClock.now - lastChange > .seconds(120) { return }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    func result(order: Int, id: String, fault: String, recoveries: [Double], seconds: Double) throws -> ScenarioResult {
        let counts = ledger.counts()
        let sent = driver.sent.withLock { $0 }
        var hostile = self.hostile.withLock { $0 }
        let excluded = hostileIDs.withLock { $0 }
        var notes = ledger.notes
        if var summary = hostile {
            HostileRun.account(&summary, ledger: ledger, ids: excluded)
            hostile = summary
        }
        let crashes = world.crashes().values.reduce(0, +)
        if crashes > 0 { notes.append("crash lines in the logs: \(world.crashes())") }
        return ScenarioResult(
            order: order, scenario: id, fault: fault, sent: sent.messages + (hostile?.sent ?? 0),
            republished: sent.resent, totals: .sum(counts.values), parked: ledger.parked(), recoverySeconds: recoveries,
            crashes: crashes,
            effects: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }), hostile: hostile,
            durationSeconds: seconds, notes: notes, date: ISO8601DateFormatter().string(from: Date()),
            scale: FaultSuite.scale, applicationsPerSecond: plan.applicationsPerSecond)
    }
}

/// Holds an exclusive lock on an SQLite database from another process (Python's sqlite3), as a backup tool or an
/// operator's `sqlite3` shell might.
enum DatabaseLock {
    static func hold(_ path: String, seconds: Int) async throws {
        let script = """
            import sqlite3, sys, time
            connection = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            connection.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            connection.execute("COMMIT")
            """
        let output = try await SMTPTestServer.runPython(script, arguments: [path, "\(seconds)"])
        guard output.contains("locked") else { throw FaultSuiteError("the database lock was not taken: \(output)") }
    }
}
