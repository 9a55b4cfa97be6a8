/// What one load phase recorded: each application's timeline, and the counters of the services, the broker and the
/// processes over the phase.
struct PhaseMeasurement: Sendable {
    var range: Range<Int>
    var timelines: [LoadTracker.Timeline]
    /// From the first submit until the last expected email appeared: the phase's active time.
    var active: Duration
    /// The change in each service's `/metrics` from before the phase until the suite was quiet after it.
    var metrics: [String: ServiceMetrics]
    /// The change in the broker's counters over the same span (nil without a counters command).
    var broker: BrokerCounters?
    /// CPU seconds each process used during the active time.
    var cpuSeconds: [String: Double]
    /// CPU seconds the whole machine was busy during the active time, every process of anyone's included.
    var machineBusySeconds: Double
    /// The largest resident set of each process during the phase, KiB.
    var peakKiB: [String: Int]
    /// Applications submitted per second, as offered (fixed load only).
    var offeredPerSecond: Double?
    /// How late the driver published at worst against its schedule (fixed load only).
    var worstSendLag: Duration?
}

extension BrokerCounters {
    /// The change from `earlier` to these counters.
    func since(_ earlier: BrokerCounters) -> BrokerCounters {
        BrokerCounters(values: values.merging(earlier.values.mapValues { -$0 }, uniquingKeysWith: +))
    }
}
