import Foundation

/// `Benchmarks/results/latest.json`: the figures issue 9 asks for at the top, each target checked, then the detail
/// of the raw broker measurement and of both load phases.
struct BenchmarkReport: Encodable, Sendable {
    /// The three latency percentiles the issue names, at the fixed offered load.
    struct Percentiles: Encodable, Sendable {
        var p50: Double
        var p95: Double
        var p99: Double
    }

    /// One target: the figure measured beside its limit.
    struct TargetCheck: Encodable, Sendable {
        var comparison: String
        var limit: Double
        var measured: Double
        var pass: Bool
        var note: String?

        static func atLeast(_ limit: Double, _ measured: Double, note: String? = nil) -> TargetCheck {
            TargetCheck(comparison: ">=", limit: limit, measured: measured, pass: measured >= limit, note: note)
        }

        static func atMost(_ limit: Double, _ measured: Double, note: String? = nil) -> TargetCheck {
            TargetCheck(comparison: "<=", limit: limit, measured: measured, pass: measured <= limit, note: note)
        }
    }

    /// The broker's ceiling through the AMQP module, as scripts/bench.sh measured it in the same run.
    struct RawBroker: Encodable, Sendable {
        struct Round: Encodable, Sendable {
            var publishPerSecond: Double
            var consumePerSecond: Double
        }

        var messages: Int?
        var bodyBytes: Int?
        var confirmWindow: Int?
        var prefetch: Int?
        var queue: String
        var rounds: [Round]
    }

    struct MemoryBreakdown: Encodable, Sendable {
        /// `RssAnon`: heaps and stacks, the process's own.
        var anonymous: Double
        /// `RssFile`: pages of the executable and shared libraries, mostly shared with the other services.
        var file: Double
        /// `Pss`: the resident set with shared pages divided among the processes sharing them.
        var proportional: Double?
    }

    struct Machine: Encodable, Sendable {
        var cores: Int
        var memoryGiB: Double
        var cpu: String
        var kernel: String
        /// The 1-minute load average when the driver started: other work on the machine shows here.
        var loadAverageAtStart: Double
    }

    struct Run: Encodable, Sendable {
        var date: String
        var commit: String?
        var applications: Int
        var warmUpApplications: Int
        var maxInFlight: Int
        var offeredLoadPerSecond: Double
        var fixedLoadSeconds: Double
        var driverSeconds: Double
        var mailDropOverflows: Int
        var method: String
    }

    var rawPublishPerSecond: Double?
    var rawConsumePerSecond: Double?
    var applicationsPerSecond: Double
    var brokerMessagesPerApplication: Double
    var latencyMs: Percentiles?
    var peakRSSMiB: [String: Double]
    var idleRSSMiB: [String: Double]
    var machine: Machine
    var targets: [String: TargetCheck]
    var allTargetsMet: Bool
    var run: Run
    var rawBroker: RawBroker
    /// What the idle resident sets are made of: anonymous memory (heaps, stacks), file-backed pages (the
    /// executable and the shared libraries it touched), and the proportional set size.
    var idleRSSBreakdownMiB: [String: MemoryBreakdown]
    /// Resident memory after both phases, once the suite was idle again.
    var afterLoadRSSMiB: [String: Double]
    /// `VmHWM` at the end: the most each process was ever resident, start-up included.
    var highWaterRSSMiB: [String: Double]
    var fullSpeed: PhaseReport
    var fixedLoad: PhaseReport
    /// When the fixed load was more than the suite could take: a load it keeps up with (a share of phase 1's
    /// throughput), for the latency of the pipeline itself rather than of a growing backlog.
    var lightLoad: PhaseReport?

    static let method = """
        Phase 1 (full speed) submits the applications as fast as the broker confirms, keeping at most maxInFlight \
        without their "submitted" email; phase 2 submits on a fixed schedule (open loop) at the offered load. Each \
        lead provider (its own broker user) accepts every other application as its application.submitted event \
        arrives; the schools' heads are registered, so each accepted application also gets the applicant's and the \
        school's emails. Email times: inotify IN_MOVED_TO on the mail drop, on a thread of the driver. \
        applicationsPerSecond: phase 1's applications over first submit to last "submitted" email. \
        brokerMessagesPerApplication: messages published to the broker (rabbit_global_counters \
        messages_received_total, every client: services and the driver as integrators) during phase 1 until the \
        suite was quiet, per application. RSS: /proc/<pid>/status VmRSS every 100 ms; idle before any load, peak \
        over every phase. CPU: /proc/<pid>/stat over each phase's active time. When the offered load is more than \
        phase 1's throughput, a third phase offers a share of that throughput (lightLoad).
        """

    /// The machine this runs on.
    static func machine() async throws -> Machine {
        try await BlockingWork.run {
            func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            let cpu =
                read("/proc/cpuinfo").split(separator: "\n").first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
            let load = Double(read("/proc/loadavg").split(separator: " ").first ?? "") ?? 0
            return Machine(
                cores: ProcessInfo.processInfo.activeProcessorCount,
                memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824).rounded(places: 1),
                cpu: cpu, kernel: read("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines),
                loadAverageAtStart: load)
        }
    }

    /// Writes the report as sorted, indented JSON, atomically.
    func write(to path: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self) + Data("\n".utf8)
        try await BlockingWork.run {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }
    }
}
