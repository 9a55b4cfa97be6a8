import ArgumentParser
import Foundation
import Logging

/// `suite-load`: drives the five running services with applications end to end, as `make bench` runs it
/// (scripts/bench.sh starts the broker and the services, measures the broker's ceiling, and passes it in).
///
/// 1. Idle: the services' resident memory before any load.
/// 2. Warm-up: a few applications through every step, so that a misconfigured suite fails in seconds.
/// 3. Full speed: N applications as fast as the suite takes them (at most `--max-in-flight` without their email).
/// 4. Fixed load: `--rate` applications per second for `--fixed-seconds`, on a schedule; latency percentiles.
///
/// Each phase waits for every email (the applicant's "submitted" one, and for the accepted half the applicant's
/// "accepted" one and the school head's), then for the suite to be quiet, and reads the services' and the broker's
/// counters. Writes the report as JSON to `--output` and prints a summary.
@main
struct SuiteLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite-load", abstract: "Drive the running NPQ services with applications; report the figures.")

    @Option(help: "The registration front end's broker URL (an operator of the services, for the schools' contacts).")
    var amqpURL = "amqp://guest:guest@127.0.0.1:5672/"

    @Option(name: .customLong("provider"), help: "provider=URL of a lead provider's broker user (repeat).")
    var providerURLs: [String] = []

    @Option(help: "The services' mail-drop folder.")
    var mailDrop: String

    @Option(help: "The cohort the applications name (open for registration today).")
    var cohort: String

    @Option(help: "Applications at full speed.")
    var applications = 20_000

    @Option(help: "At full speed, applications submitted without their email at most (0: no limit).")
    var maxInFlight = 1_000

    @Option(help: "The fixed offered load, applications per second.")
    var rate = 200.0

    @Option(help: "How long the fixed load lasts, seconds.")
    var fixedSeconds = 20.0

    @Option(help: "Applications of the warm-up.")
    var warmUp = 40

    @Option(name: .customLong("service"), help: "name=pid:port of a running service (repeat).")
    var services: [String] = []

    @Option(help: "The broker's process id, for its CPU and memory.")
    var brokerPID: Int32?

    @Option(help: "A command that prints the broker's counters (`name,labels value` lines).")
    var brokerCounters: String?

    @Option(name: .customLong("raw-round"), help: "publish/consume per second of one raw broker round (repeat).")
    var rawRounds: [String] = []

    @Option(help: "The raw broker measurement's messages.")
    var rawMessages: Int?

    @Option(help: "The raw broker measurement's body size, bytes.")
    var rawBodyBytes: Int?

    @Option(help: "The raw broker measurement's publisher confirm window.")
    var rawWindow: Int?

    @Option(help: "The raw broker measurement's consumer prefetch.")
    var rawPrefetch: Int?

    @Option(help: "The git commit measured.")
    var commit: String?

    @Option(
        help: """
            When the fixed load is more than the suite managed at full speed, also offer this share of that \
            throughput for --light-seconds, for the latency of a suite that keeps up (0: never).
            """)
    var lightShare = 0.5

    @Option(help: "How long the lighter load lasts, seconds.")
    var lightSeconds = 10.0

    @Option(help: "Seconds to let the suite settle before measuring idle memory and between phases.")
    var settleSeconds = 3.0

    @Option(help: "Give up when no email has appeared for this many seconds.")
    var stallSeconds = 60.0

    @Option(help: "Where to write the JSON report.")
    var output: String?

    mutating func run() async throws {
        let began = ContinuousClock.now
        var logger = Logger(label: "suite-load")
        logger.logLevel = .warning
        let machine = try await BenchmarkReport.machine()
        let services = try self.services.map(RunningService.init(parsing:))
        var targets = services.map { ProcessSampler.Target(name: $0.name, pid: $0.pid) }
        if let brokerPID { targets.append(.init(name: "rabbitmq", pid: brokerPID)) }
        targets.append(.init(name: "suite-load", pid: getpid()))
        let sampler = ProcessSampler(targets: targets)
        defer { sampler.stop() }

        let warmUp = 0..<max(1, self.warmUp)
        let full = warmUp.upperBound..<(warmUp.upperBound + applications)
        let fixed = full.upperBound..<(full.upperBound + Int((rate * fixedSeconds).rounded()))
        // The lighter load, if any, is slower than the fixed load: this many more numbers are enough.
        let tracker = LoadTracker(capacity: fixed.upperBound + Int((rate * lightSeconds).rounded(.up)))
        let watcher = try MailDropWatcher(directory: mailDrop, tracker: tracker)
        defer { watcher.stop() }
        var providers: [String: String] = [:]
        for pair in providerURLs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--provider \(pair): expected provider=URL") }
            providers[parts[0]] = parts[1]
        }
        let missing = Set(ApplicationProfile.leadProviders).subtracting(providers.keys)
        guard missing.isEmpty else {
            throw ValidationError("no --provider for \(missing.sorted().joined(separator: ", "))")
        }
        let driver = try await SuiteDriver.connect(
            url: amqpURL, providerURLs: providers, tracker: tracker, cohort: cohort, logger: logger)
        let listening = Task { await driver.listen() }
        let settle = Duration.seconds(settleSeconds)
        let stall = Duration.seconds(stallSeconds)
        let phases = Phases(driver: driver, services: services, sampler: sampler, brokerCounters: brokerCounters)

        say("idle: resident memory of the services before any load (\(settleSeconds) s)")
        try await Task.sleep(for: settle)
        let idle = sampler.latest
        let watched = sampler.targets
        let idleProportional = try await BlockingWork.run {
            watched.reduce(into: [String: Int]()) { $0[$1.name] = ProcessSampler.proportionalKiB($1.pid) }
        }

        say("warm-up: \(warmUp.count) applications through every step")
        try await driver.registerSchoolContacts()
        try await driver.submitAtFullSpeed(warmUp, maxInFlight: 0)
        try await driver.waitForEmails(warmUp, stallLimit: stall, sampler: sampler)
        let anomalies = tracker.anomalies
        guard anomalies.rejections == 0, tracker.failures.isEmpty else {
            throw DriverError("the warm-up was refused: \(anomalies.samples.joined(separator: " | "))")
        }
        _ = try await phases.quiet()
        try await Task.sleep(for: settle)

        say("full speed: \(full.count) applications, at most \(maxInFlight) in flight")
        let maxInFlight = self.maxInFlight
        let fullSpeed = try await phases.measure(full, stallLimit: stall) {
            try await driver.submitAtFullSpeed(full, maxInFlight: maxInFlight)
            return nil
        }
        let throughput = PhaseReport(fullSpeed).applicationsPerSecond
        say("full speed: \(throughput) applications/s; settling for \(settleSeconds) s")
        try await Task.sleep(for: settle)

        say("fixed load: \(rate) applications/s for \(fixedSeconds) s (\(fixed.count) applications)")
        let rate = self.rate
        var fixedLoad = try await phases.measure(fixed, stallLimit: stall) {
            try await driver.submitAtFixedRate(fixed, perSecond: rate)
        }
        fixedLoad.offeredPerSecond = rate
        try await Task.sleep(for: settle)

        var lightLoad: PhaseMeasurement?
        let lightRate = (throughput * lightShare).rounded(.down)
        if rate > throughput, lightRate >= 1, lightSeconds > 0 {
            let light = fixed.upperBound..<(fixed.upperBound + Int((lightRate * lightSeconds).rounded()))
            say("light load: \(lightRate) applications/s for \(lightSeconds) s (\(light.count) applications)")
            lightLoad = try await phases.measure(light, stallLimit: stall) {
                try await driver.submitAtFixedRate(light, perSecond: lightRate)
            }
            lightLoad?.offeredPerSecond = lightRate
            try await Task.sleep(for: settle)
        }
        let after = sampler.latest

        listening.cancel()
        await listening.value
        await driver.close()
        sampler.stop()
        watcher.stop()

        let report = makeReport(
            machine: machine, idle: idle, idleProportional: idleProportional, after: after, fullSpeed: fullSpeed,
            fixedLoad: fixedLoad, lightLoad: lightLoad, services: services, overflows: watcher.overflows,
            driverSeconds: (ContinuousClock.now - began).seconds,
            warmUp: warmUp.count)
        if let output {
            try await report.write(to: output)
        }
        print(report.summary)
        if let output { print("\nwritten to \(output)") }
        let leftovers = tracker.anomalies
        if leftovers.rejections > 0 || leftovers.unmatched > 0 || leftovers.repeated > 0 {
            print(
                "note: \(leftovers.rejections) refusals, \(leftovers.unmatched) emails about no application of this "
                    + "run, \(leftovers.repeated) repeated: \(leftovers.samples.prefix(3).joined(separator: " | "))")
        }
    }

    private func makeReport(
        machine: BenchmarkReport.Machine, idle: [String: ProcessSampler.Reading], idleProportional: [String: Int],
        after: [String: ProcessSampler.Reading], fullSpeed: PhaseMeasurement, fixedLoad: PhaseMeasurement,
        lightLoad: PhaseMeasurement?,
        services: [RunningService], overflows: Int, driverSeconds: Double, warmUp: Int
    ) -> BenchmarkReport {
        let full = PhaseReport(fullSpeed)
        let fixed = PhaseReport(fixedLoad)
        let serviceNames = Set(services.map(\.name))
        func mebibytes(_ kibibytes: Int) -> Double { (Double(kibibytes) / 1024).rounded(places: 1) }
        let idleRSS = idle.filter { serviceNames.contains($0.key) }.mapValues { mebibytes($0.rssKiB) }
        var peakRSS: [String: Double] = [:]
        for name in serviceNames {
            let peaks = [fullSpeed, fixedLoad].map { $0.peakKiB[name] ?? 0 } + [lightLoad?.peakKiB[name] ?? 0]
            peakRSS[name] = mebibytes(peaks.max() ?? 0)
        }
        let rounds = rawRounds.compactMap { text -> BenchmarkReport.RawBroker.Round? in
            let parts = text.split(separator: "/").compactMap { Double($0) }
            guard parts.count == 2 else { return nil }
            return .init(publishPerSecond: parts[0], consumePerSecond: parts[1])
        }
        func median(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.sorted()[(values.count - 1) / 2]
        }
        let rawPublish = median(rounds.map(\.publishPerSecond))
        let rawConsume = median(rounds.map(\.consumePerSecond))
        let perApplication = full.publishedPerApplication
        var targets: [String: BenchmarkReport.TargetCheck] = [
            "applicationsPerSecond": .atLeast(1_000, full.applicationsPerSecond),
            "idleRSSMiB": .atMost(
                30, idleRSS.values.max() ?? 0, note: idleRSS.max { $0.value < $1.value }.map { "largest: \($0.key)" }),
            "peakRSSMiB": .atMost(
                100, peakRSS.values.max() ?? 0, note: peakRSS.max { $0.value < $1.value }.map { "largest: \($0.key)" }),
        ]
        if let rawPublish {
            let traffic = (full.applicationsPerSecond * perApplication).rounded(places: 0)
            targets["pipelineBrokerTraffic"] = .atLeast(
                (rawPublish / 2).rounded(places: 0), traffic,
                note: "applicationsPerSecond × brokerMessagesPerApplication against 50% of rawPublishPerSecond "
                    + "(\(((traffic / rawPublish) * 100).rounded(places: 1))% measured)")
        }
        if let latency = fixed.latencyMs {
            var note = "at \(Self.number(rate)) applications/s offered"
            if rate > full.applicationsPerSecond {
                note += """
                    , more than the \(Self.number(full.applicationsPerSecond))/s the suite managed at full speed: the \
                    backlog grows for the whole phase, and the latency with it
                    """
            }
            targets["p99LatencyMs"] = .atMost(100, latency.p99, note: note)
        }
        return BenchmarkReport(
            rawPublishPerSecond: rawPublish, rawConsumePerSecond: rawConsume,
            applicationsPerSecond: full.applicationsPerSecond, brokerMessagesPerApplication: perApplication,
            latencyMs: fixed.latencyMs.map { .init(p50: $0.p50, p95: $0.p95, p99: $0.p99) }, peakRSSMiB: peakRSS,
            idleRSSMiB: idleRSS, machine: machine, targets: targets, allTargetsMet: targets.values.allSatisfy(\.pass),
            run: .init(
                date: ISO8601DateFormatter().string(from: Date()), commit: commit, applications: applications,
                warmUpApplications: warmUp, maxInFlight: maxInFlight, offeredLoadPerSecond: rate,
                fixedLoadSeconds: fixedSeconds, driverSeconds: driverSeconds.rounded(places: 1),
                mailDropOverflows: overflows, method: BenchmarkReport.method),
            rawBroker: .init(
                messages: rawMessages, bodyBytes: rawBodyBytes, confirmWindow: rawWindow, prefetch: rawPrefetch,
                queue: "quorum, persistent messages", rounds: rounds),
            idleRSSBreakdownMiB: idle.reduce(into: [:]) { breakdown, entry in
                breakdown[entry.key] = .init(
                    anonymous: mebibytes(entry.value.anonymousKiB), file: mebibytes(entry.value.fileKiB),
                    proportional: idleProportional[entry.key].map(mebibytes))
            },
            afterLoadRSSMiB: after.mapValues { mebibytes($0.rssKiB) },
            highWaterRSSMiB: after.mapValues { mebibytes($0.peakKiB) }, fullSpeed: full, fixedLoad: fixed,
            lightLoad: lightLoad.map(PhaseReport.init))
    }

    private static func number(_ value: Double) -> String { BenchmarkReport.number(value) }
}

/// A line of progress on standard error, so that standard output is the report.
func say(_ text: String) {
    FileHandle.standardError.write(Data("suite-load: \(text)\n".utf8))
}
