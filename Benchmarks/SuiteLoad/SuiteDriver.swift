import AMQP
import Foundation
import Logging
import MessageContracts
import ServiceRuntime

/// Plays the suite's integrators against the running services: a registration front end submits applications, each
/// lead provider accepts half of its own as their `application.submitted` events arrive, and the schools' heads
/// are registered to hear of accepted staff. Everything it sees lands in the ``LoadTracker``.
struct SuiteDriver: Sendable {
    /// The registration front end (the broker's `guest` on the private broker, also an operator there).
    let client: NPQClient
    /// Each lead provider, connected as its own broker user `npq-lp-<provider>`.
    let providers: [String: NPQClient]
    /// The connection whose private queue receives `application.submitted` and `message.rejected`.
    let listener: AMQPConnection
    let eventQueue: String
    let tracker: LoadTracker
    let cohort: String

    static let source = "urn:npq:app:suite-load"

    /// Connects the front end (`url`) and the providers (`providerURLs`, by provider), and declares the private
    /// event queue.
    static func connect(
        url: String, providerURLs: [String: String], tracker: LoadTracker, cohort: String, logger: Logger
    ) async throws -> SuiteDriver {
        func connection(_ url: String, name: String) async throws -> AMQPConnection {
            var configuration = try AMQPConfiguration(url: url)
            configuration.connectionName = name
            return try await AMQPConnection.connect(configuration, logger: logger)
        }
        let front = try await connection(url, name: "suite-load registration")
        let client = NPQClient(
            connection: front, source: source, appID: "suite-load", userID: front.configuration.user)
        var providers: [String: NPQClient] = [:]
        for (provider, providerURL) in providerURLs {
            let link = try await connection(providerURL, name: "suite-load \(provider)")
            providers[provider] = NPQClient(
                connection: link, source: source, appID: "suite-load", userID: link.configuration.user)
        }
        let listener = try await connection(url, name: "suite-load events")
        let queue = "suite-load.\(getpid()).events"
        try await listener.declare(
            AMQPTopology(
                queues: [.init(queue, durable: false, exclusive: true, autoDelete: true)],
                bindings: [ApplicationSubmitted.routingKey, MessageRejected.routingKey].map {
                    .init(queue: queue, exchange: Topology.eventsExchange, routingKey: $0)
                }))
        return SuiteDriver(
            client: client, providers: providers, listener: listener, eventQueue: queue, tracker: tracker,
            cohort: cohort)
    }

    func close() async {
        await client.connection.close()
        for provider in providers.values { await provider.connection.close() }
        await listener.close()
    }

    /// Registers a head for each school the applicants work at (as an operator), so that every accepted
    /// application also produces the school's email.
    func registerSchoolContacts() async throws {
        for urn in ApplicationProfile.schools {
            _ = try await client.ask(
                SchoolContactsRegister(
                    schoolURN: urn,
                    contacts: [
                        SchoolContact(role: .head, name: "Head of \(urn)", email: "head.\(urn)@example.sch.uk")
                    ]),
                expecting: SchoolContactsRegistered.self, timeout: .seconds(60))
        }
    }

    /// Consumes the private event queue until cancelled: accepts half of the submitted applications as their lead
    /// provider, and records every refusal.
    func listen() async {
        do {
            let consumer = try await listener.consume(queue: eventQueue, prefetch: 1024)
            try await withThrowingDiscardingTaskGroup { group in
                for try await delivery in consumer {
                    if let accept = take(delivery) {
                        group.addTask {
                            do {
                                try await accept.provider.send(accept.command)
                            } catch {
                                tracker.failed("application.accept of application \(accept.index): \(error)")
                            }
                        }
                    }
                    try await delivery.ack()
                }
            }
        } catch is CancellationError {
        } catch {
            if !Task.isCancelled { tracker.failed("event listener: \(error)") }
        }
    }

    /// What an event asks of the driver: the acceptance to send, if any.
    private func take(_ delivery: AMQPDelivery) -> (provider: NPQClient, command: ApplicationAccept, index: Int)? {
        do {
            switch delivery.properties.type {
            case ApplicationSubmitted.typeName:
                let event = try ContractDecoder.decode(ApplicationSubmitted.self, from: delivery.body)
                guard let index = ApplicationProfile.index(inAddress: event.applicant.email),
                    ApplicationProfile.isAccepted(index), let provider = providers[event.leadProvider]
                else { return nil }
                tracker.accepted(index, at: .now)
                return (
                    provider,
                    ApplicationAccept(applicationID: event.applicationID, fundedPlace: event.funding?.funded == true),
                    index
                )
            case MessageRejected.typeName:
                let rejection = try ContractDecoder.decode(MessageRejected.self, from: delivery.body)
                tracker.rejected(
                    "\(rejection.service) refused \(rejection.originalType ?? "a message") "
                        + "(\(rejection.reason.rawValue)): \(rejection.detail)")
            default:
                break
            }
        } catch {
            tracker.failed("event \(delivery.properties.type ?? "without a type") not readable: \(error)")
        }
        return nil
    }

    /// The `application.submit` messages of `indices`.
    private func submissions(_ indices: some Sequence<Int>) -> [AMQPMessage] {
        indices.map { index in
            let envelope = Envelope.new(
                for: ApplicationSubmit.self, source: Self.source, appID: client.appID)
            var message = OutgoingMessage(
                ApplicationProfile.of(index).submission(index: index, cohort: cohort), envelope: envelope
            ).amqpMessage
            message.properties.userID = client.userID
            return message
        }
    }

    private func publish(_ messages: [AMQPMessage]) async throws {
        let failures = await client.connection.publish(messages).compactMap { result -> AMQPError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        if let first = failures.first {
            throw DriverError("\(failures.count) of \(messages.count) application.submit not confirmed: \(first)")
        }
    }

    /// Submits `range` as fast as the broker confirms, in batches of up to 256, keeping at most `maxInFlight`
    /// applications without their "submitted" email (0: no limit), so that the pipeline flows rather than one
    /// queue filling up before the next sees anything.
    func submitAtFullSpeed(_ range: Range<Int>, maxInFlight: Int) async throws {
        var next = range.lowerBound
        while next < range.upperBound {
            let left = range.upperBound - next
            let room = maxInFlight > 0 ? maxInFlight - tracker.inFlight : left
            guard room >= min(64, left, max(1, maxInFlight)) else {
                try await Task.sleep(for: .milliseconds(2))
                continue
            }
            let batch = next..<(next + min(room, 256, left))
            let messages = submissions(batch)
            tracker.submitted(batch, at: .now)
            try await publish(messages)
            next = batch.upperBound
        }
    }

    /// Submits `range` at `rate` per second on a fixed schedule, whatever the suite does (an open loop): each
    /// application is stamped with the moment the schedule gives it, so a late publish counts against the latency.
    /// Returns how late the driver itself was at worst.
    func submitAtFixedRate(_ range: Range<Int>, perSecond rate: Double) async throws -> Duration {
        let interval = Duration.seconds(1 / rate)
        let start = ContinuousClock.now + .milliseconds(20)
        var worstLag = Duration.zero
        try await withThrowingDiscardingTaskGroup { group in
            var next = 0
            while next < range.count {
                let now = ContinuousClock.now
                var due: [Int] = []
                while next < range.count, start + interval * next <= now {
                    due.append(range.lowerBound + next)
                    worstLag = max(worstLag, now - (start + interval * next))
                    tracker.submitted([range.lowerBound + next], at: start + interval * next)
                    next += 1
                }
                if !due.isEmpty {
                    let messages = submissions(due)
                    group.addTask { try await publish(messages) }
                }
                if next < range.count {
                    try await Task.sleep(until: start + interval * next, clock: .continuous)
                }
            }
        }
        return worstLag
    }

    /// Waits until every application of `range` has its emails (the "submitted" email, and for accepted ones the
    /// applicant's and the school's). Fails when nothing has moved for `stallLimit`, or a process has exited.
    func waitForEmails(_ range: Range<Int>, stallLimit: Duration, sampler: ProcessSampler) async throws {
        var last = tracker.progress(range)
        var lastChange = ContinuousClock.now
        while true {
            let progress = tracker.progress(range)
            if progress.submitted == range.count, progress.isComplete { return }
            if progress != last {
                last = progress
                lastChange = .now
            }
            if !sampler.gone.isEmpty {
                throw DriverError("\(sampler.gone.sorted().joined(separator: ", ")) exited during the run")
            }
            if ContinuousClock.now - lastChange > stallLimit {
                let anomalies = tracker.anomalies
                throw DriverError(
                    """
                    no progress for \(stallLimit): of \(range.count) applications \(progress.submitted) submitted, \
                    \(progress.submittedEmails) "submitted" emails, \(progress.accepted) of \(progress.toAccept) \
                    accepted, \(progress.acceptedEmails) "accepted" emails, \(progress.staffEmails) school emails; \
                    emails by kind \(anomalies.emailsByKind), \(anomalies.unmatched) unmatched, \
                    \(anomalies.rejections) refusals: \(anomalies.samples.joined(separator: " | "))
                    """)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The driver could not carry out the run.
struct DriverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
