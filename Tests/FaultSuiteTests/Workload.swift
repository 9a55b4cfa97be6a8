import AMQP
import Foundation
import Logging
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Synchronization

/// What a fault scenario asks of the suite, and what it must therefore see happen: applications submitted by the
/// registration front end (half of them accepted by their lead providers), SENCO appointments recorded by a school
/// MIS, and schools' contacts registered (again and again, mid-stream) by that MIS.
struct WorkloadPlan: Sendable {
    var applications: Int
    var sencoAppointments: Int
    /// Contact registrations after the first round (which comes before any other traffic).
    var contactRegistrations: Int
    /// How many applications are submitted per second at most (the pace at which the stream flows).
    var applicationsPerSecond: Double = 8
    /// Publish every message twice, with the same message id (the duplicate-delivery scenario).
    var publishTwice = false

    /// The schools the workload's people work at: the applications' and the SENCO appointments'.
    static let schools = ["100101", "100102", "100103", "112002"]

    /// What application `index` applies for: consecutive pairs share a profile, the first of each pair is accepted.
    static func profile(_ index: Int) -> (course: String, school: String, provider: String) {
        let profiles = [
            ("npq-headship", "100103", "teach-first"),
            ("npq-leading-teaching", "100101", "ambition-institute"),
            ("npq-leading-teaching", "100103", "teach-first"),
            ("npq-headship", "112002", "ambition-institute"),
        ]
        return profiles[(index / 2) % profiles.count]
    }

    static let leadProviders = ["ambition-institute", "teach-first"]

    static func isAccepted(_ index: Int) -> Bool { index % 2 == 0 }

    static func applicantEmail(_ index: Int) -> String { "applicant.\(index)@example.sch.uk" }

    static func applicantName(_ index: Int) -> String { "Applicant \(index)" }

    /// The number in "Applicant 12" or "applicant.12@…".
    static func applicantIndex(in text: some StringProtocol) -> Int? {
        for marker in ["applicant.", "Applicant "] {
            guard let start = text.range(of: marker) else { continue }
            let digits = text[start.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let number = Int(digits) { return number }
        }
        return nil
    }

    static func contacts(_ school: String) -> [SchoolContact] {
        [
            SchoolContact(role: .head, name: "Head of \(school)", email: "head.\(school)@example.sch.uk"),
            SchoolContact(role: .senco, name: "SENCO lead \(school)", email: "senco.\(school)@example.sch.uk"),
            SchoolContact(role: .sendGovernor, name: "Governor \(school)", email: "governor.\(school)@example.sch.uk"),
        ]
    }

    static func sencoSchool(_ index: Int) -> String { schools[index % schools.count] }
}

/// Plays the integrators: publishes the workload with publisher confirms, sends each message again with the same
/// message id until the broker confirms it (through broker outages too), accepts half of the applications as their
/// lead provider when their `application.submitted` event arrives, and records what it sent in the ``Ledger``.
final class WorkloadDriver: Sendable {
    let world: FaultWorld
    let ledger: Ledger
    let plan: WorkloadPlan
    private let registration: AMQPConnection
    private let schoolMIS: AMQPConnection
    private let providers: [String: AMQPConnection]
    private let providerUsers: [String: String]
    private let listener: AMQPConnection
    private let users: (registration: String, mis: String)
    private let accepting = Mutex<[Task<Void, Never>]>([])
    /// Messages published (each counted once however often it had to be sent again; twice when the plan publishes
    /// everything twice) and sends repeated because their outcome was unknown.
    let sent = Mutex<(messages: Int, resent: Int)>((0, 0))

    static let source = "urn:npq:test:fault-suite"

    private init(
        world: FaultWorld, ledger: Ledger, plan: WorkloadPlan, registration: AMQPConnection, schoolMIS: AMQPConnection,
        providers: [String: AMQPConnection], providerUsers: [String: String],
        listener: AMQPConnection
    ) {
        self.listener = listener
        self.world = world
        self.ledger = ledger
        self.plan = plan
        self.registration = registration
        self.schoolMIS = schoolMIS
        self.providers = providers
        self.providerUsers = providerUsers
        self.users = (
            registration.configuration.user, schoolMIS.configuration.user
        )
    }

    /// Connects as the registration front end, the school MIS and each lead provider.
    static func connect(world: FaultWorld, ledger: Ledger, plan: WorkloadPlan) async throws -> WorkloadDriver {
        let broker = world.broker
        func connection(_ user: String) async throws -> AMQPConnection {
            var configuration = try broker.configuration(user)
            configuration.connectionName = "fault suite \(user)"
            configuration.reconnect = .init(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
            return try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        }
        var providers: [String: AMQPConnection] = [:]
        var providerUsers: [String: String] = [:]
        for provider in WorkloadPlan.leadProviders {
            providers[provider] = try await connection("npq-lp-\(provider)")
            providerUsers[provider] = broker.user("npq-lp-\(provider)")
        }
        // Lead providers may not read `application.submitted` (it names every provider's applicants); the
        // registration front end may, through its own durable events queue (the definitions declare
        // `<user>.events`), bound here: nothing is missed while the broker is down. It tells each provider.
        let listener = try await connection("npq-registration")
        try await listener.declare(
            AMQPTopology(bindings: [
                .init(
                    queue: "\(broker.user("npq-registration")).events", exchange: Topology.eventsExchange,
                    routingKey: ApplicationSubmitted.routingKey)
            ]))
        return WorkloadDriver(
            world: world, ledger: ledger, plan: plan, registration: try await connection("npq-registration"),
            schoolMIS: try await connection("npq-school-mis"),
            providers: providers, providerUsers: providerUsers, listener: listener)
    }

    func close() async {
        accepting.withLock { $0.forEach { $0.cancel() } }
        for connection in [registration, schoolMIS, listener] + Array(providers.values) {
            await connection.close()
        }
    }

    // MARK: - Publishing

    /// The AMQP message of `payload`, with `correlationID` (how the ledger finds its consequences) and the sender's
    /// broker user as `user_id`.
    func message<M: MessageContract>(_ payload: M, correlationID: String, userID: String) -> AMQPMessage {
        let envelope = Envelope.new(
            for: M.self, source: Self.source, appID: "fault-suite", correlationID: correlationID)
        var message = OutgoingMessage(payload, envelope: envelope).amqpMessage
        message.properties.userID = userID
        return message
    }

    /// Publishes `messages` on `connection` until the broker has confirmed every one: a message whose outcome is
    /// unknown (the connection dropped) is sent again with the same message id, which the services recognise.
    func publishUntilConfirmed(_ messages: [AMQPMessage], on connection: AMQPConnection) async throws {
        var pending = plan.publishTwice ? messages + messages : messages
        var rounds = 0
        sent.withLock { $0.messages += pending.count }
        while !pending.isEmpty {
            let results = await connection.publish(pending)
            var failed: [AMQPMessage] = []
            for (message, result) in zip(pending, results) {
                if case .failure(let error) = result {
                    guard error.isTransient else {
                        throw FaultSuiteError("publish of \(message.properties.type ?? "?") refused: \(error)")
                    }
                    failed.append(message)
                }
            }
            if !failed.isEmpty {
                sent.withLock { $0.resent += failed.count }
                rounds += 1
                guard rounds < 600 else { throw FaultSuiteError("\(failed.count) messages never confirmed") }
                try await Task.sleep(for: .milliseconds(200))
            }
            pending = failed
        }
    }

    // MARK: - The workload

    /// Registers every workload school's contacts (and the webhook of one) as the schools' MIS vendor, which the
    /// notifications service is told may act for them (`NPQ_SCHOOL_USERS`).
    func registerContacts(round: Int) async throws {
        var messages: [AMQPMessage] = []
        for school in WorkloadPlan.schools {
            let key = "contacts-\(round)-\(school)"
            let webhook =
                school == world.webhookSchool
                ? SchoolWebhook(url: world.webhook.url, secret: FaultWorld.webhookSecret) : nil
            messages.append(
                message(
                    SchoolContactsRegister(
                        schoolURN: school, contacts: WorkloadPlan.contacts(school), webhook: webhook),
                    correlationID: key, userID: users.mis))
            ledger.expect(.contactsRegistered, key: key)
        }
        try await publishUntilConfirmed(messages, on: schoolMIS)
    }

    /// Starts accepting, as their lead provider, the applications the plan accepts, as their `application.submitted`
    /// events arrive.
    func startAccepting() async throws {
        let consumer = try await listener.consume(queue: "\(users.registration).events", prefetch: 256)
        let task = Task {
            do {
                for try await delivery in consumer {
                    await accept(delivery)
                    try? await delivery.ack()
                }
            } catch {}
        }
        accepting.withLock { $0.append(task) }
    }

    private func accept(_ delivery: AMQPDelivery) async {
        guard let event = try? ContractDecoder.decode(ApplicationSubmitted.self, from: delivery.body),
            let index = WorkloadPlan.applicantIndex(in: event.applicant.email), index < plan.applications,
            WorkloadPlan.isAccepted(index), let connection = providers[event.leadProvider],
            let user = providerUsers[event.leadProvider]
        else { return }
        ledger.applicationID(event.applicationID, index: index)
        // The event may come twice (redelivery): the second acceptance has the same message id, and is skipped.
        guard ledger.firstAcceptance(index) else { return }
        let command = message(
            ApplicationAccept(applicationID: event.applicationID, fundedPlace: event.funding?.funded == true),
            correlationID: "accept-\(index)", userID: user)
        do {
            try await publishUntilConfirmed([command], on: connection)
        } catch {
            ledger.note("application.accept \(index) not published: \(error)")
        }
    }

    /// Publishes the plan's applications at its pace, with the SENCO appointments and the contact registrations
    /// spread among them; `progress` is told after each batch how many applications have been submitted.
    func run(progress: @Sendable (Int) async throws -> Void) async throws {
        let batch = 4
        let interval = Duration.seconds(Double(batch) / plan.applicationsPerSecond)
        let sencoEvery = max(1, plan.applications / max(1, plan.sencoAppointments))
        let contactsEvery = max(1, plan.applications / max(1, plan.contactRegistrations))
        var senco = 0
        var contacts = 0
        var next = ContinuousClock.now
        for start in stride(from: 0, to: plan.applications, by: batch) {
            let indices = start..<min(start + batch, plan.applications)
            var messages: [AMQPMessage] = []
            for index in indices {
                let profile = WorkloadPlan.profile(index)
                let submit = ApplicationSubmit(
                    applicant: Applicant(
                        fullName: WorkloadPlan.applicantName(index), email: WorkloadPlan.applicantEmail(index)),
                    course: profile.course, leadProvider: profile.provider, cohort: world.cohort,
                    workplace: Workplace(
                        worksIn: .england, workSetting: .aSchool, institution: Institution(urn: profile.school)))
                messages.append(message(submit, correlationID: "app-\(index)", userID: users.registration))
                ledger.expectApplication(index, accepted: WorkloadPlan.isAccepted(index), school: profile.school)
            }
            try await publishUntilConfirmed(messages, on: registration)
            for index in indices {
                if index % sencoEvery == 0, senco < plan.sencoAppointments {
                    try await recordAppointment(senco)
                    senco += 1
                }
                if index % contactsEvery == contactsEvery / 2, contacts < plan.contactRegistrations {
                    contacts += 1
                    try await registerContacts(round: contacts)
                }
            }
            try await progress(indices.upperBound)
            next += interval
            try await Task.sleep(until: next, clock: .continuous)
        }
        while senco < plan.sencoAppointments {
            try await recordAppointment(senco)
            senco += 1
        }
    }

    /// Records SENCO appointment `index` as the school MIS: a new SENCO appointed a month ago.
    private func recordAppointment(_ index: Int) async throws {
        let school = WorkloadPlan.sencoSchool(index)
        let appointed = Calendar(identifier: .gregorian).date(byAdding: .day, value: -30, to: Date())!
        let day = CalendarDate(appointed, in: TimeZone(identifier: "Europe/London")!)
        let key = "senco-\(index)"
        let command = SENCOAppointmentRecord(
            schoolURN: school, schoolType: .mainstream,
            person: SENCOPerson(name: "SENCO \(index)", email: "senco.person.\(index)@example.sch.uk"),
            appointedOn: day.description)
        ledger.expectAppointment(key, school: school)
        try await publishUntilConfirmed(
            [message(command, correlationID: key, userID: users.mis)], on: schoolMIS)
    }
}
