import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Synchronization

/// The fault suite's books: what the workload must cause, and what was observed — the suite's events (through a
/// durable queue bound to every event, so that none is missed while the broker is down), the emails the SMTP server
/// accepted and the calls the webhook receiver answered.
///
/// An *effect* is one thing a user must see exactly once: an application assessed, accepted and scheduled, an email
/// or webhook call, a SENCO deadline tracked and its reminder, a school's contacts registered. Each has a key (the
/// application, the appointment, the registration…) and *instances*: distinct message ids for events, distinct
/// notification ids for emails and webhook calls. A key without an instance is **lost**; every instance beyond the
/// first is **duplicated**. The same instance arriving twice (an event published again after a crash, an email sent
/// again with the same `Message-ID`) is counted apart, as **resent**: its receiver recognises it by its id.
final class Ledger: Sendable {
    enum Effect: String, CaseIterable, Sendable {
        case applicationSubmitted = "application.submitted (assessed)"
        case applicationAccepted = "application.accepted"
        case participantScheduled = "participant.scheduled"
        case deadlineTracked = "senco.deadline.tracked"
        case reminder = "senco.reminder.due appointment_recorded"
        case contactsRegistered = "school.contacts.registered"
        case submittedEmail = "email: application submitted"
        case acceptedEmail = "email: application accepted"
        case staffEmail = "email: head told of accepted staff"
        case sencoEmail = "email: SENCO appointment recorded"
        case webhook = "webhook call"
    }

    struct Books: Sendable {
        /// Expected keys per effect.
        var expected: [Effect: Set<String>] = [:]
        /// Observed instances per effect and key, with how often each instance arrived.
        var observed: [Effect: [String: [String: Int]]] = [:]
        var applicationIDs: [UUID: Int] = [:]
        var accepted: Set<Int> = []
        /// Spell id → appointment key, from `senco.deadline.tracked`.
        var spells: [String: String] = [:]
        /// Every `message.rejected`: by original message id.
        var rejections: [String: [MessageRejected]] = [:]
        /// Events that could not be read, and other things worth a line in the report.
        var notes: [String] = []
        var eventsReceived = 0
        /// The names of the hostile input's applications (`injection.<n>@…` and `hostile.<n>@…`) as
        /// `application.submitted` gave them back.
        var injectionNames: [String: String] = [:]
        /// The decoded bodies of the "submitted" emails to the injection applicants, by address.
        var injectionEmails: [String: [String]] = [:]
    }

    private let books = Mutex(Books())
    let webhookSchool: String

    init(webhookSchool: String) {
        self.webhookSchool = webhookSchool
    }

    // MARK: - Expectations

    func expect(_ effect: Effect, key: String) {
        _ = books.withLock { $0.expected[effect, default: []].insert(key) }
    }

    func expectApplication(_ index: Int, accepted: Bool, school: String) {
        expect(.applicationSubmitted, key: "app-\(index)")
        expect(.submittedEmail, key: "app-\(index)")
        guard accepted else { return }
        for effect in [Effect.applicationAccepted, .participantScheduled, .acceptedEmail, .staffEmail] {
            expect(effect, key: "app-\(index)")
        }
        if school == webhookSchool { expect(.webhook, key: "staff-\(index)") }
    }

    /// SENCO appointment `key` (`senco-<n>`): its deadline and reminder, and the reminder's email to the school's
    /// head and SENCO (the recipients the law's `appointment_recorded` reminder names), and its webhook call at the
    /// school with a webhook.
    func expectAppointment(_ key: String, school: String) {
        expect(.deadlineTracked, key: key)
        expect(.reminder, key: key)
        for role in ["head", "senco"] { expect(.sencoEmail, key: "\(key)|\(role)") }
        if school == webhookSchool { expect(.webhook, key: key) }
    }

    func applicationID(_ id: UUID, index: Int) {
        books.withLock { $0.applicationIDs[id] = index }
    }

    /// Whether the driver has not yet accepted application `index` (and now has).
    func firstAcceptance(_ index: Int) -> Bool {
        books.withLock { $0.accepted.insert(index).inserted }
    }

    func note(_ text: String) {
        books.withLock { $0.notes.append(text) }
    }

    /// Counts `instance` of `effect` under `key`. A delivery the tap's queue gives again (the tap's own connection
    /// dropped before its ack) is not a resend by the suite, and is not counted twice.
    private func observe(
        _ effect: Effect, key: String, instance: String, redelivered: Bool = false, in books: inout Books
    ) {
        if redelivered, books.observed[effect]?[key]?[instance] != nil { return }
        books.observed[effect, default: [:]][key, default: [:]][instance, default: 0] += 1
    }

    // MARK: - Events

    /// Reads one event from the tap.
    func record(event delivery: AMQPDelivery) {
        let type = delivery.properties.type ?? ""
        let id = delivery.properties.messageID ?? "?"
        let correlation = delivery.properties.correlationID ?? ""
        let body = delivery.body
        let redelivered = delivery.redelivered
        books.withLock { books in
            books.eventsReceived += 1
            do {
                switch type {
                case ApplicationSubmitted.typeName:
                    let event = try ContractDecoder.decode(ApplicationSubmitted.self, from: body)
                    if event.applicant.email.hasPrefix("injection.") || event.applicant.email.hasPrefix("hostile.") {
                        books.injectionNames[event.applicant.email] = event.applicant.fullName
                    }
                    guard let index = WorkloadPlan.applicantIndex(in: event.applicant.email),
                        event.applicant.email == WorkloadPlan.applicantEmail(index)
                    else { return }
                    books.applicationIDs[event.applicationID] = index
                    observe(
                        .applicationSubmitted, key: "app-\(index)", instance: id, redelivered: redelivered, in: &books)
                case ApplicationAccepted.typeName:
                    let event = try ContractDecoder.decode(ApplicationAccepted.self, from: body)
                    guard let index = books.applicationIDs[event.applicationID] else { return }
                    observe(
                        .applicationAccepted, key: "app-\(index)", instance: id, redelivered: redelivered, in: &books)
                case ParticipantScheduled.typeName:
                    let event = try ContractDecoder.decode(ParticipantScheduled.self, from: body)
                    guard let index = books.applicationIDs[event.applicationID] else { return }
                    observe(
                        .participantScheduled, key: "app-\(index)", instance: id, redelivered: redelivered, in: &books)
                case SENCODeadlineTracked.typeName:
                    let event = try ContractDecoder.decode(SENCODeadlineTracked.self, from: body)
                    guard correlation.hasPrefix("senco-") else { return }
                    books.spells[event.spell.spellID.uuidString.lowercased()] = correlation
                    observe(.deadlineTracked, key: correlation, instance: id, redelivered: redelivered, in: &books)
                case SENCOReminderDue.typeName:
                    let event = try ContractDecoder.decode(SENCOReminderDue.self, from: body)
                    guard event.kind == .appointmentRecorded else { return }
                    // Keyed by the spell (mapped to its appointment when counted: the deadline may come after it): one
                    // appointment, one such reminder. Its instance is the reminder's own id.
                    observe(
                        .reminder, key: "spell-\(event.spellID.uuidString.lowercased())",
                        instance: event.reminderID.uuidString.lowercased(), redelivered: redelivered, in: &books)
                case SchoolContactsRegistered.typeName:
                    guard correlation.hasPrefix("contacts-") else { return }
                    observe(.contactsRegistered, key: correlation, instance: id, redelivered: redelivered, in: &books)
                case MessageRejected.typeName:
                    let event = try ContractDecoder.decode(MessageRejected.self, from: body)
                    books.rejections[event.originalMessageID ?? "?", default: []].append(event)
                default:
                    break
                }
            } catch {
                books.notes.append("\(type) \(id) not readable: \(error)")
            }
        }
    }

    // MARK: - Emails and webhook calls

    /// Reads what the SMTP server accepted and the webhook receiver answered so far (both keep everything, so this
    /// recounts from the start each time).
    func recordChannels(emails: [SMTPTestServer.Message], webhookCalls: [WebhookReceiver.Call]) {
        books.withLock { books in
            for effect in [Effect.submittedEmail, .acceptedEmail, .staffEmail, .sencoEmail, .webhook] {
                books.observed[effect] = [:]
            }
            books.injectionEmails = [:]
            for email in emails {
                let headers = Self.headers(of: email.text)
                if let address = email.recipients.first, address.hasPrefix("injection."),
                    headers["x-npq-notification-kind"] == NotificationKind.applicationSubmitted.rawValue
                {
                    // The hostile input's names, as the applicant reads them: both parts, quoted-printable decoded.
                    let body = MIMEReading.split(email.text).body
                    books.injectionEmails[address, default: []].append(
                        String(decoding: MIMEReading.decodeQuotedPrintable(body), as: UTF8.self))
                }
                guard let notification = headers["x-npq-notification-id"], let kind = headers["x-npq-notification-kind"]
                else { continue }
                let recipient = email.recipients.first ?? ""
                switch kind {
                case NotificationKind.applicationSubmitted.rawValue, NotificationKind.applicationAccepted.rawValue:
                    guard let index = WorkloadPlan.applicantIndex(in: recipient),
                        recipient == WorkloadPlan.applicantEmail(index)
                    else { continue }
                    let effect: Effect =
                        kind == NotificationKind.applicationSubmitted.rawValue ? .submittedEmail : .acceptedEmail
                    observe(effect, key: "app-\(index)", instance: notification, in: &books)
                case NotificationKind.staffAccepted.rawValue:
                    guard let index = WorkloadPlan.applicantIndex(in: headers["subject"] ?? "") else { continue }
                    observe(.staffEmail, key: "app-\(index)", instance: notification, in: &books)
                case NotificationKind.sencoAppointmentRecorded.rawValue:
                    // "SENCO qualification deadline for SENCO 12", to head.<urn>@… or senco.<urn>@….
                    guard let index = Self.number(after: "for SENCO ", in: headers["subject"] ?? ""),
                        let role = recipient.split(separator: ".").first
                    else { continue }
                    observe(.sencoEmail, key: "senco-\(index)|\(role)", instance: notification, in: &books)
                default:
                    break
                }
            }
            for call in webhookCalls where (200..<300).contains(call.status) {
                if call.body.contains("staff_accepted"), let index = WorkloadPlan.applicantIndex(in: call.body) {
                    observe(.webhook, key: "staff-\(index)", instance: call.id, in: &books)
                } else if call.body.contains("senco_appointment_recorded"),
                    let index = Self.number(after: "for SENCO ", in: call.body)
                {
                    observe(.webhook, key: "senco-\(index)", instance: call.id, in: &books)
                }
            }
        }
    }

    /// The number that follows `marker` in `text`.
    static func number(after marker: String, in text: String) -> Int? {
        guard let start = text.range(of: marker) else { return nil }
        return Int(text[start.upperBound...].prefix { $0.isASCII && $0.isNumber })
    }

    /// A message's header fields, by lower-cased name, unfolded.
    static func headers(of text: String) -> [String: String] {
        let fields = MIMEReading.fields(MIMEReading.split(text).header)
        return Dictionary(fields.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Counting

    /// One effect's figures.
    struct Count: Sendable, Codable {
        var expected: Int
        var observed: Int
        var lost: Int
        var duplicated: Int
        /// Effects that arrived more than once under the same id (recognised by their receivers).
        var resent: Int
        /// Observed under a key nothing expected (an acceptance email for an application never accepted, say).
        var unexpected: Int

        /// The figures of `counts` added up.
        static func sum(_ counts: some Sequence<Count>) -> Count {
            counts.reduce(Count(expected: 0, observed: 0, lost: 0, duplicated: 0, resent: 0, unexpected: 0)) {
                Count(
                    expected: $0.expected + $1.expected, observed: $0.observed + $1.observed, lost: $0.lost + $1.lost,
                    duplicated: $0.duplicated + $1.duplicated, resent: $0.resent + $1.resent,
                    unexpected: $0.unexpected + $1.unexpected)
            }
        }
    }

    /// What was observed of `effect`, by key; reminders mapped from their spell to its appointment.
    private static func observed(_ effect: Effect, in books: Books) -> [String: [String: Int]] {
        let observed = books.observed[effect] ?? [:]
        guard effect == .reminder else { return observed }
        var mapped: [String: [String: Int]] = [:]
        for (key, instances) in observed {
            let spell = String(key.dropFirst("spell-".count))
            mapped[books.spells[spell] ?? key, default: [:]].merge(instances, uniquingKeysWith: +)
        }
        return mapped
    }

    /// The figures of every effect, as of now.
    func counts() -> [Effect: Count] {
        books.withLock { books in
            var counts: [Effect: Count] = [:]
            for effect in Effect.allCases {
                let observed = Self.observed(effect, in: books)
                let expected = books.expected[effect] ?? []
                let seen = expected.filter { observed[$0] != nil }.count
                counts[effect] = Count(
                    expected: expected.count, observed: seen, lost: expected.count - seen,
                    duplicated: observed.values.reduce(0) { $0 + max(0, $1.count - 1) },
                    resent: observed.values.reduce(0) { total, ids in total + ids.values.reduce(0) { $0 + $1 - 1 } },
                    unexpected: observed.keys.filter { !expected.contains($0) }.count)
            }
            return counts
        }
    }

    /// Every key expected so far, for a recovery to wait on.
    func expectedKeys() -> [Effect: Set<String>] { books.withLock { $0.expected } }

    /// Whether every key of `keys` has been observed.
    func observedAll(_ keys: [Effect: Set<String>]) -> Bool {
        books.withLock { books in
            keys.allSatisfy { effect, keys in
                let observed = Self.observed(effect, in: books)
                return keys.allSatisfy { observed[$0] != nil }
            }
        }
    }

    /// Whether every expected effect has been observed.
    var complete: Bool { counts().values.allSatisfy { $0.lost == 0 } }

    var rejections: [String: [MessageRejected]] { books.withLock { $0.rejections } }
    var injectionNames: [String: String] { books.withLock { $0.injectionNames } }
    var injectionEmails: [String: [String]] { books.withLock { $0.injectionEmails } }

    /// The ids of the workload's applications whose lead provider is `provider`.
    func applicationIDs(ofProvider provider: String) -> [UUID] {
        books.withLock { books in
            books.applicationIDs.filter { WorkloadPlan.profile($0.value).provider == provider }.map(\.key)
                .sorted { $0.uuidString < $1.uuidString }
        }
    }
    var notes: [String] { books.withLock { $0.notes } }
    var eventsReceived: Int { books.withLock { $0.eventsReceived } }

    /// Parked messages by service and reason, from the `message.rejected` events.
    func parked(excluding ids: Set<String> = []) -> [String: Int] {
        books.withLock { books in
            var counts: [String: Int] = [:]
            for (id, rejections) in books.rejections where !ids.contains(id) {
                for rejection in rejections {
                    counts["\(rejection.service): \(rejection.reason.rawValue)", default: 0] += 1
                }
            }
            return counts
        }
    }
}

/// A durable quorum queue bound to every event of the scenario's virtual host, read into the ``Ledger`` by the
/// deployment's administrator (only it may declare a queue of its own name). Being durable, it keeps the events
/// published while the tap's connection is down.
final class LedgerTap: Sendable {
    private let connection: AMQPConnection
    private let queue: String
    private let task: Task<Void, Never>

    init(world: FaultWorld, ledger: Ledger) async throws {
        var configuration = try world.broker.configuration("npq-admin")
        configuration.connectionName = "fault suite ledger"
        configuration.reconnect = .init(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        let queue = "fault-suite.ledger"
        try await connection.declare(
            AMQPTopology(
                queues: [.quorum(queue)],
                bindings: [.init(queue: queue, exchange: Topology.eventsExchange, routingKey: "#")]))
        let consumer = try await connection.consume(queue: queue, prefetch: 1000)
        self.connection = connection
        self.queue = queue
        task = Task {
            do {
                for try await delivery in consumer {
                    ledger.record(event: delivery)
                    try? await delivery.ack()
                }
            } catch {}
        }
    }

    /// Messages still waiting in the tap's queue.
    func backlog() async -> Int {
        (try? await connection.inspectQueue(queue).messages) ?? -1
    }

    func stop() async {
        task.cancel()
        _ = try? await connection.deleteQueue(queue)
        await connection.close()
    }
}
