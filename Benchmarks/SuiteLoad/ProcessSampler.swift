import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Samples the resident memory and CPU time of the suite's processes from `/proc`, every 100 ms on a thread of its
/// own: the latest reading of each, and the largest resident set seen since the current window began.
final class ProcessSampler: Sendable {
    /// A process to watch, by the name the report gives it.
    struct Target: Sendable {
        var name: String
        var pid: Int32
    }

    /// One reading of one process.
    struct Reading: Sendable {
        /// `VmRSS`: resident now, KiB.
        var rssKiB: Int
        /// `VmHWM`: the most it has ever been resident, KiB.
        var peakKiB: Int
        /// `RssAnon`: the resident set's anonymous memory (heaps, stacks), KiB.
        var anonymousKiB: Int
        /// `RssFile`: the resident set's file-backed pages (the executable, shared libraries, ICU data), KiB.
        var fileKiB: Int
        /// User plus system CPU time, seconds.
        var cpuSeconds: Double
    }

    private struct State {
        var latest: [String: Reading] = [:]
        var windowPeakKiB: [String: Int] = [:]
        var gone: Set<String> = []
    }

    let targets: [Target]
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    init(targets: [Target]) {
        self.targets = targets
        sample()
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                usleep(100_000)
                sample()
            }
        }
        thread.name = "process sampler"
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// The latest reading of each process that is still running.
    var latest: [String: Reading] {
        state.withLock { $0.latest }
    }

    /// Processes that have exited since sampling began.
    var gone: Set<String> {
        state.withLock { $0.gone }
    }

    /// Starts a new window for ``windowPeakKiB``.
    func startWindow() {
        state.withLock { state in
            state.windowPeakKiB = state.latest.mapValues(\.rssKiB)
        }
    }

    /// The largest resident set of each process since ``startWindow()``, KiB.
    var windowPeakKiB: [String: Int] {
        state.withLock { $0.windowPeakKiB }
    }

    private func sample() {
        var readings: [String: Reading] = [:]
        var gone: [String] = []
        for target in targets {
            if let reading = Self.read(target.pid) {
                readings[target.name] = reading
            } else {
                gone.append(target.name)
            }
        }
        state.withLock { state in
            for (name, reading) in readings {
                state.latest[name] = reading
                state.windowPeakKiB[name] = max(state.windowPeakKiB[name] ?? 0, reading.rssKiB)
            }
            for name in gone {
                state.latest[name] = nil
                state.gone.insert(name)
            }
        }
    }

    /// Reads `/proc/<pid>/status` and `/proc/<pid>/stat`; `nil` once the process has gone (or is a zombie).
    static func read(_ pid: Int32) -> Reading? {
        guard let status = contents("/proc/\(pid)/status"), let stat = contents("/proc/\(pid)/stat") else { return nil }
        var rss: Int?
        var peak = 0
        var anonymous = 0
        var file = 0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kibibytes(line) }
            if line.hasPrefix("VmHWM:") { peak = kibibytes(line) ?? 0 }
            if line.hasPrefix("RssAnon:") { anonymous = kibibytes(line) ?? 0 }
            if line.hasPrefix("RssFile:") { file = kibibytes(line) ?? 0 }
            if line.hasPrefix("State:"), line.contains("Z") { return nil }
        }
        // Fields after the command name, which is in parentheses and may contain spaces: state is the 3rd field,
        // utime and stime the 14th and 15th.
        guard let rss, let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return Reading(
            rssKiB: rss, peakKiB: peak, anonymousKiB: anonymous, fileKiB: file,
            cpuSeconds: (user + system) / ticksPerSecond)
    }

    /// `Pss` from `/proc/<pid>/smaps_rollup`, KiB: the resident set with each page shared by several processes (the
    /// Swift runtime and Foundation the five services all map) divided among them. Walks the page tables, so it is
    /// read once in a while, not every sample.
    static func proportionalKiB(_ pid: Int32) -> Int? {
        guard let rollup = contents("/proc/\(pid)/smaps_rollup") else { return nil }
        return rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }.flatMap(kibibytes)
    }

    private static func kibibytes(_ line: Substring) -> Int? {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }

    private static func contents(_ path: String) -> String? {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: bytes.prefix(count), as: UTF8.self)
    }
}
