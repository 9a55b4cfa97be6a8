import Foundation

/// The whole machine's CPU time from `/proc/stat`, so that a phase can say how much of the machine went to
/// processes other than the suite's (other people's builds on a shared machine).
struct MachineCPU: Sendable {
    /// CPU seconds spent busy (everything but idle and iowait), summed over the cores.
    var busySeconds: Double

    static func read() async throws -> MachineCPU {
        try await BlockingWork.run {
            let stat = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
            guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
                throw DriverError("/proc/stat has no cpu line")
            }
            // user nice system idle iowait irq softirq steal ...
            let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            let idle = ticks.count > 4 ? ticks[3] + ticks[4] : 0
            let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            return MachineCPU(busySeconds: (ticks.prefix(8).reduce(0, +) - idle) / perSecond)
        }
    }
}
