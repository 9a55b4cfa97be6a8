/// Runs a load phase and measures it: the services' and the broker's counters before and after, the processes' CPU
/// time and peak memory, every application's timeline.
struct Phases: Sendable {
    let driver: SuiteDriver
    let services: [RunningService]
    let sampler: ProcessSampler
    let brokerCounters: String?

    /// Runs `submit` for `range`, waits for every email, then for the suite to be quiet.
    func measure(
        _ range: Range<Int>, stallLimit: Duration, submit: () async throws -> Duration?
    ) async throws -> PhaseMeasurement {
        let metricsBefore = try await scrape()
        let brokerBefore = try await readBroker()
        let cpuBefore = sampler.latest
        let machineBefore = try await MachineCPU.read()
        sampler.startWindow()
        let start = ContinuousClock.now
        let lag = try await submit()
        try await driver.waitForEmails(range, stallLimit: stallLimit, sampler: sampler)
        let active = ContinuousClock.now - start
        let cpuAfter = sampler.latest
        let machineAfter = try await MachineCPU.read()
        let metricsAfter = try await quiet()
        let brokerAfter = try await readBroker()
        var cpu: [String: Double] = [:]
        for (name, reading) in cpuAfter {
            cpu[name] = reading.cpuSeconds - (cpuBefore[name]?.cpuSeconds ?? reading.cpuSeconds)
        }
        var metrics: [String: ServiceMetrics] = [:]
        for (name, after) in metricsAfter {
            metrics[name] = after.since(metricsBefore[name] ?? ServiceMetrics())
        }
        var broker: BrokerCounters?
        if let brokerBefore, let brokerAfter { broker = brokerAfter.since(brokerBefore) }
        return PhaseMeasurement(
            range: range, timelines: driver.tracker.timelines(range), active: active, metrics: metrics,
            broker: broker, cpuSeconds: cpu, machineBusySeconds: machineAfter.busySeconds - machineBefore.busySeconds,
            peakKiB: sampler.windowPeakKiB, offeredPerSecond: nil, worstSendLag: lag)
    }

    /// Every service's `/metrics`, by service name.
    func scrape() async throws -> [String: ServiceMetrics] {
        var all: [String: ServiceMetrics] = [:]
        for service in services {
            all[service.name] = try await ServiceMetrics.scrape(port: service.port)
        }
        return all
    }

    /// Waits until no service has taken or published a message for a second (at most a minute): the messages a
    /// phase caused after its last email (deliveries recorded, events nobody waits for) belong to it.
    func quiet() async throws -> [String: ServiceMetrics] {
        var previous = try await scrape()
        var unchanged = 0
        for _ in 0..<120 where unchanged < 2 {
            try await Task.sleep(for: .milliseconds(500))
            let current = try await scrape()
            unchanged = current == previous ? unchanged + 1 : 0
            previous = current
        }
        return previous
    }

    private func readBroker() async throws -> BrokerCounters? {
        guard let brokerCounters else { return nil }
        do {
            return try await BrokerCounters.read(command: brokerCounters)
        } catch {
            say("warning: could not read the broker's counters: \(error)")
            return nil
        }
    }
}
