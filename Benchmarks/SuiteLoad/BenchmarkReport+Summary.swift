import Foundation

extension BenchmarkReport {
    /// The report as a person reads it at the end of `make bench`.
    var summary: String {
        var lines: [String] = []
        func verdict(_ check: TargetCheck?) -> String {
            guard let check else { return "" }
            return "\(check.comparison) \(Self.number(check.limit))  \(check.pass ? "PASS" : "FAIL")"
        }
        func row(_ label: String, _ measured: String, _ target: String = "") {
            let padded: String =
                label.count >= 44 ? "\(label) " : label.padding(toLength: 44, withPad: " ", startingAt: 0)
            let suffix: String = target.isEmpty ? "" : "   \(target)"
            lines.append("\(padded)\(measured.leftPadded(to: 18))\(suffix)")
        }
        lines.append(
            """
            machine: \(machine.cores) cores, \(machine.memoryGiB) GiB, \(machine.cpu); load average \
            \(machine.loadAverageAtStart) when the driver started
            """)
        lines.append("")
        let rounds = rawBroker.rounds.count
        let messages: String = rawBroker.messages.map { Self.number(Double($0)) } ?? "?"
        let bytes: String = rawBroker.bodyBytes.map { String($0) } ?? "?"
        let window: String = rawBroker.confirmWindow.map { String($0) } ?? "?"
        let prefetch: String = rawBroker.prefetch.map { String($0) } ?? "?"
        let plural = rounds == 1 ? "" : "s"
        lines.append(
            """
            broker ceiling through the AMQP module (\(rawBroker.queue), \(messages) messages of \(bytes) bytes, \
            confirm window \(window), prefetch \(prefetch); median of \(rounds) round\(plural))
            """)
        row("  publishes confirmed per second", rawPublishPerSecond.map(Self.number) ?? "not measured")
        row("  deliveries acked per second", rawConsumePerSecond.map(Self.number) ?? "not measured")
        lines.append("")
        let applications = Self.number(Double(run.applications))
        let inFlight = Self.number(Double(run.maxInFlight))
        let offered = Self.number(run.offeredLoadPerSecond)
        let fixedSeconds = Self.number(run.fixedLoadSeconds)
        lines.append(
            """
            pipeline: \(applications) applications at full speed (at most \(inFlight) in flight), then \(offered)/s \
            for \(fixedSeconds) s
            """)
        row(
            "  applications per second (submit → email)", Self.number(applicationsPerSecond),
            verdict(targets["applicationsPerSecond"]))
        row("  broker messages per application", String(format: "%.2f", brokerMessagesPerApplication))
        if let traffic = targets["pipelineBrokerTraffic"] {
            row(
                "  pipeline broker traffic (messages/s)", Self.number(traffic.measured),
                "\(verdict(traffic)) (50% of raw publish)")
        }
        if let latencyMs {
            row(
                "  latency p50 / p95 / p99 at \(Self.number(run.offeredLoadPerSecond))/s (ms)",
                "\(latencyMs.p50) / \(latencyMs.p95) / \(latencyMs.p99)", "p99 \(verdict(targets["p99LatencyMs"]))")
            if run.offeredLoadPerSecond > applicationsPerSecond {
                lines.append("    (\(offered)/s is more than the suite managed at full speed: the backlog grows)")
            }
        }
        if let light = lightLoad, let latency = light.latencyMs, let offered = light.offeredPerSecond {
            row(
                "  latency p50 / p95 / p99 at \(Self.number(offered))/s (ms)",
                "\(latency.p50) / \(latency.p95) / \(latency.p99)",
                "(a load the suite keeps up with)")
        }
        let quietest = lightLoad ?? fixedLoad
        if let school = quietest.acceptToSchoolEmailMs, let applicant = quietest.acceptToApplicantEmailMs {
            let offered = Self.number(quietest.offeredPerSecond ?? 0)
            row("  accept → applicant / school email p99 at \(offered)/s", "\(applicant.p99) / \(school.p99) ms")
        }
        row(
            "  full speed: \"submitted\" / all emails after",
            "\(fullSpeed.seconds) s / \(fullSpeed.allEmailsSeconds) s")
        lines.append("")
        let headings = ["idle", "idle PSS", "peak", "after", "VmHWM", "cpu% full", "cpu ms/app", "consumer%"]
        let heading: String = headings.map { $0.leftPadded(to: 11) }.joined()
        lines.append("\("MiB, cpu".padding(toLength: 22, withPad: " ", startingAt: 0))\(heading)")
        let processNames: Set<String> = Set(fullSpeed.processes.keys).union(idleRSSMiB.keys)
        let services: [String] = processNames.filter { $0.hasPrefix("npq-") }.sorted()
        let others: [String] = processNames.filter { !$0.hasPrefix("npq-") }.sorted()
        let names = services + others
        for name in names {
            let peak =
                peakRSSMiB[name]
                ?? max(fullSpeed.processes[name]?.peakRSSMiB ?? 0, fixedLoad.processes[name]?.peakRSSMiB ?? 0)
            let cells: [String] = [
                idleRSSMiB[name].map { "\($0)" } ?? "-",
                idleRSSBreakdownMiB[name]?.proportional.map { "\($0)" } ?? "-",
                "\(peak)",
                afterLoadRSSMiB[name].map { "\($0)" } ?? "-",
                highWaterRSSMiB[name].map { "\($0)" } ?? "-",
                fullSpeed.processes[name].map { "\($0.cpuPercent)" } ?? "-",
                fullSpeed.processes[name].map { String(format: "%.2f", $0.cpuMsPerApplication) } ?? "-",
                fullSpeed.processes[name]?.consumerBusyPercent.map { "\($0)" } ?? "-",
            ]
            let label: String = "  \(name)".padding(toLength: 22, withPad: " ", startingAt: 0)
            let values: String = cells.map { $0.leftPadded(to: 11) }.joined()
            lines.append("\(label)\(values)")
        }
        lines.append(
            """
              (cpu% and consumer% at full speed; consumer%: time the service's consumer spent handling its batches \
            of messages, commits included)
            """)
        let busy = "\(fullSpeed.machineBusyPercent)% / \(fixedLoad.machineBusyPercent)%"
        let other = "\(fullSpeed.otherWorkPercent)% / \(fixedLoad.otherWorkPercent)%"
        lines.append("  machine busy (full speed / fixed load) \(busy) of one core, other people's work \(other)")
        row("  each service idle", "", "\(verdict(targets["idleRSSMiB"])) (largest)")
        row("  each service at full load", "", "\(verdict(targets["peakRSSMiB"])) (largest)")
        lines.append("")
        let failed = targets.filter { !$0.value.pass }.keys.sorted()
        lines.append(
            failed.isEmpty ? "every target met" : "targets not met: \(failed.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    /// A figure with thousands separators and at most one decimal.
    static func number(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = value.magnitude >= 100 ? 0 : 1
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.decimalSeparator = "."
        return formatter.string(from: NSNumber(value: value)) ?? "\(value)"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
