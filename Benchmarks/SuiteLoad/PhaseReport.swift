/// One load phase as the report gives it: how fast applications went through, how long each took, what it cost the
/// broker and each process.
struct PhaseReport: Encodable, Sendable {
    /// The broker's side of the phase.
    struct BrokerTraffic: Encodable, Sendable {
        /// Messages published to the broker by anyone (services, and the driver as the integrators).
        var published: Int
        var publishedPerApplication: Double
        /// Deliveries to consumers (one per queue a message was routed to and consumed from).
        var deliveredPerApplication: Double
        /// `applicationsPerSecond` × `publishedPerApplication`: what the pipeline asks of the broker.
        var pipelinePublishesPerSecond: Double
        var redelivered: Int
        var deadLettered: Int
    }

    /// One process's share of the phase.
    struct ProcessUse: Encodable, Sendable {
        /// CPU time over the active time, in percent of one core.
        var cpuPercent: Double
        var cpuMsPerApplication: Double
        var peakRSSMiB: Double
        /// Messages its consumer took per application (services only).
        var consumedPerApplication: Double?
        /// Messages its outbox published per application (services only).
        var publishedPerApplication: Double?
        /// Mean time its handlers took per message, ms (services only).
        var handlerMeanMs: Double?
        /// The share of the active time its consumer spent handling its batches of messages (services only): near
        /// 100, the service's consumer is what limits the pipeline.
        var consumerBusyPercent: Double?
        /// Messages refused, retried, parked or requeued, by type and outcome (services only; none expected).
        var troubled: [String: Double]?
    }

    var applications: Int
    var accepted: Int
    var offeredPerSecond: Double?
    /// Submits per second the driver achieved (first to last submit).
    var submittedPerSecond: Double
    /// The driver's worst lateness against its schedule, ms (fixed load only).
    var worstSendLagMs: Double?
    /// From the first submit to the last applicant's "submitted" email.
    var seconds: Double
    /// Applications over `seconds`: submit to the applicant's "submitted" email written.
    var applicationsPerSecond: Double
    /// From the first submit to the last email of any kind (acceptances and schools' notices included).
    var allEmailsSeconds: Double
    var emails: Int
    /// Submit to the applicant's "submitted" email written.
    var latencyMs: LatencySummary?
    /// The provider's `application.accept` to the applicant's "accepted" email.
    var acceptToApplicantEmailMs: LatencySummary?
    /// The provider's `application.accept` to the school head's email (after the cohorts service scheduled them).
    var acceptToSchoolEmailMs: LatencySummary?
    /// From the broker's own counters; nil when they could not be read.
    var broker: BrokerTraffic?
    /// Messages published per application by the services' outboxes plus the driver's own publishes: the same
    /// figure as `broker.publishedPerApplication`, counted from the other side.
    var servicesAndDriverPublishedPerApplication: Double
    var processes: [String: ProcessUse]
    /// The machine's CPU busy over the active time, percent of one core (the cores together: 200 on two cores).
    var machineBusyPercent: Double
    /// The part of that the suite, the broker and the driver did not use: other work on the machine.
    var otherWorkPercent: Double

    init(_ phase: PhaseMeasurement) {
        let timelines = phase.timelines
        let count = Double(max(1, timelines.count))
        let submitted = timelines.compactMap(\.submitted)
        let first = submitted.min() ?? .now
        let lastSubmit = submitted.max() ?? first
        let submittedEmails = timelines.compactMap(\.submittedEmail)
        let allEmails = submittedEmails + timelines.compactMap(\.acceptedEmail) + timelines.compactMap(\.staffEmail)
        let seconds = ((submittedEmails.max() ?? first) - first).seconds
        applications = timelines.count
        accepted = timelines.filter { $0.accepted != nil }.count
        offeredPerSecond = phase.offeredPerSecond
        submittedPerSecond = (Double(max(0, submitted.count - 1)) / max(1e-9, (lastSubmit - first).seconds)).rounded(
            places: 1)
        worstSendLagMs = phase.worstSendLag.map { $0.milliseconds.rounded(places: 1) }
        self.seconds = seconds.rounded(places: 2)
        applicationsPerSecond = (count / max(1e-9, seconds)).rounded(places: 1)
        allEmailsSeconds = ((allEmails.max() ?? first) - first).seconds.rounded(places: 2)
        emails = allEmails.count
        latencyMs = LatencySummary(
            milliseconds: timelines.compactMap { timeline in
                guard let start = timeline.submitted, let end = timeline.submittedEmail else { return nil }
                return (end - start).milliseconds
            })
        acceptToApplicantEmailMs = LatencySummary(
            milliseconds: timelines.compactMap { timeline in
                guard let start = timeline.accepted, let end = timeline.acceptedEmail else { return nil }
                return (end - start).milliseconds
            })
        acceptToSchoolEmailMs = LatencySummary(
            milliseconds: timelines.compactMap { timeline in
                guard let start = timeline.accepted, let end = timeline.staffEmail else { return nil }
                return (end - start).milliseconds
            })
        let perSecond = count / max(1e-9, seconds)
        broker = phase.broker.map { counters in
            BrokerTraffic(
                published: Int(counters.published),
                publishedPerApplication: (counters.published / count).rounded(places: 2),
                deliveredPerApplication: (counters.delivered / count).rounded(places: 2),
                pipelinePublishesPerSecond: (perSecond * counters.published / count).rounded(places: 0),
                redelivered: Int(counters.redelivered), deadLettered: Int(counters.deadLettered))
        }
        let outbox = phase.metrics.values.map(\.outboxPublished).reduce(0, +)
        servicesAndDriverPublishedPerApplication = ((outbox + Double(timelines.count + accepted)) / count).rounded(
            places: 2)
        let active = max(1e-9, phase.active.seconds)
        var processes: [String: ProcessUse] = [:]
        for (name, cpu) in phase.cpuSeconds {
            let metrics = phase.metrics[name]
            processes[name] = ProcessUse(
                cpuPercent: (cpu / active * 100).rounded(places: 1),
                cpuMsPerApplication: (cpu * 1000 / count).rounded(places: 3),
                peakRSSMiB: (Double(phase.peakKiB[name] ?? 0) / 1024).rounded(places: 1),
                consumedPerApplication: metrics.map { ($0.consumed / count).rounded(places: 2) },
                publishedPerApplication: metrics.map { ($0.outboxPublished / count).rounded(places: 2) },
                handlerMeanMs: metrics.map { ($0.handlerSeconds * 1000 / max(1, $0.handlerCount)).rounded(places: 3) },
                consumerBusyPercent: metrics.map { ($0.handlerSeconds / active * 100).rounded(places: 1) },
                troubled: metrics.map(\.troubled))
        }
        self.processes = processes
        machineBusyPercent = (phase.machineBusySeconds / active * 100).rounded(places: 1)
        let ours = phase.cpuSeconds.values.reduce(0, +)
        otherWorkPercent = (max(0, phase.machineBusySeconds - ours) / active * 100).rounded(places: 1)
    }

    /// Messages per application the broker saw published, or else the services' and the driver's count.
    var publishedPerApplication: Double {
        broker?.publishedPerApplication ?? servicesAndDriverPublishedPerApplication
    }
}
