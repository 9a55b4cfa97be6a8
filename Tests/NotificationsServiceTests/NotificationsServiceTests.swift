import AMQP
import Foundation
import Logging
import MessageContracts
import NPQTestSupport
import NotificationsDomain
import NotificationsService
import ServiceRuntime
import Synchronization
import Testing

/// `npq-notifications` over the real broker, with a real SMTP server (aiosmtpd, STARTTLS with a certificate the
/// client verifies), the mail-drop folder, and a real HTTP receiver that checks webhook signatures itself.
@Suite("Notifications service", .serialized, .timeLimit(.minutes(5)))
struct NotificationsServiceTests {
    static let repository = ExecutableRun.repository
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    /// Every log line at info or above, with its metadata, as the service wrote it.
    final class LogCapture: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }

    struct Setup {
        var smtpURL: String?
        var mailDrop: String
        var capture = LogCapture()
    }

    static func options(_ setup: Setup) throws -> NotificationsService.Options {
        NotificationsService.Options(
            templatesDirectory: repository.appendingPathComponent("reference/notifications/templates").path,
            smtpURL: setup.smtpURL, mailDropDirectory: setup.mailDrop, mailFrom: "NPQ <no-reply@npq.test>",
            allowHTTPWebhooks: true, webhookTimeout: .seconds(5),
            retry: RetryPolicy(base: .milliseconds(100), maximumDelay: .seconds(1), maximumAttempts: 60),
            concurrency: 8, pollInterval: .milliseconds(50),
            cohortsReferenceDirectory: repository.appendingPathComponent("reference/cohorts").path,
            schoolsFile: repository.appendingPathComponent("reference/eligibility/schools.csv").path,
            readers: [try TestBroker.configuration().user], operators: [try TestBroker.configuration().user])
    }

    /// The service on the real clock (deliveries wait on real retry delays), with its info log captured.
    static func with(_ setup: Setup, _ body: (ServiceHarness) async throws -> Void) async throws {
        let options = try options(setup)
        let capture = setup.capture
        try await ServiceHarness.with(
            service: "notifications", now: Date(),
            bindings: [
                (Topology.eventsExchange, "notification.#"), (Topology.eventsExchange, "school.#"),
                (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in
                app.clock = { Date() }
                app.logger = Logger(label: "test.notifications") { _ in CapturingHandler(capture: capture) }
                try NotificationsService.configure(&app, options: options)
            }, body)
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npq-mail-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func submitted(_ index: Int, school: String? = "100103") -> ApplicationSubmitted {
        ApplicationSubmitted(
            applicationID: UUID(), course: "npq-leading-teaching", leadProvider: "teach-first", cohort: "2026b",
            applicant: Applicant(
                fullName: "Person Number\(index) Testname", email: "person\(index)@applicants.example",
                trn: String(format: "9%06d", index)),
            schoolURN: school, submittedAt: Date(),
            funding: FundingOutcome(
                status: .funded, funded: true, reviewRequired: false,
                explanation: "Your school is in the top 50% for pupil premium."))
    }

    /// The mail drop's messages by file name, their bodies' quoted-printable decoded (headers are untouched).
    static func emails(in directory: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".eml") {
            files[name] = decodingQuotedPrintable(try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8))
        }
        return files
    }

    /// `text` with its body's soft line breaks removed and `=XX` escapes decoded (as UTF-8).
    static func decodingQuotedPrintable(_ text: String) -> String {
        let (header, body) = MIMEReading.split(text)
        return header + "\r\n" + String(decoding: MIMEReading.decodeQuotedPrintable(body), as: UTF8.self)
    }

    /// A header's value in a message's text (first occurrence, unfolded).
    static func header(_ name: String, in message: String) -> String? {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? message
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":")
        {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    @Test(
        "An applicant's notice goes to the mail drop once: the .eml is the full message, the log and event say delivered"
    )
    func mailDrop() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            let event = Self.submitted(1)
            let messageID = Envelope.newMessageID()
            try await harness.publish(event, messageID: messageID)
            try await harness.publish(event, messageID: messageID)
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 1 })
            let delivered = try #require(await harness.events(NotificationDelivered.self).first)
            #expect(delivered.kind == .applicationSubmitted)
            #expect(delivered.recipient == .applicant)
            #expect(delivered.applicationID == event.applicationID)
            #expect(delivered.causeID == messageID)
            let files = try Self.emails(in: setup.mailDrop)
            #expect(files.count == 1)
            let (name, text) = try #require(files.first)
            #expect(name == "\(delivered.notificationID.uuidString.lowercased()).eml")
            #expect(Self.header("To", in: text) == "Person Number1 Testname <person1@applicants.example>")
            #expect(Self.header("From", in: text) == "NPQ <no-reply@npq.test>")
            #expect(Self.header("Subject", in: text) == "We have your application for Leading teaching (NPQLT)")
            #expect(
                Self.header("Message-ID", in: text) == "<\(delivered.notificationID.uuidString.lowercased())@npq.test>")
            #expect(text.contains("Funding: you are eligible for scholarship funding."))
            #expect(text.contains("Your school is in the top 50% for pupil premium."))
            #expect(text.contains("the cohort starting in November 2026"))

            let log = try await harness.client.ask(
                NotificationLogGet(applicationID: event.applicationID), expecting: NotificationLogResult.self)
            #expect(log.entries.count == 1)
            #expect(log.entries.first?.status == .delivered)
            #expect(log.entries.first?.attempts == 1)
            #expect(log.entries.first?.address == "person1@applicants.example")
        }
    }

    @Test("Schools get notices by the roles named, their webhook signed; no school hears of another's staff")
    func schoolNotices() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        try await Self.with(setup) { harness in
            let registered = try await harness.client.ask(
                SchoolContactsRegister(
                    schoolURN: "100103",
                    contacts: [
                        SchoolContact(role: .head, name: "Dana Whitfield", email: "head@brookhill.example"),
                        SchoolContact(role: .senco, email: "senco@brookhill.example"),
                        SchoolContact(role: .sendGovernor, email: "governor@brookhill.example"),
                    ],
                    webhook: SchoolWebhook(url: receiver.url, secret: Self.secret)),
                expecting: SchoolContactsRegistered.self)
            #expect(registered.roles == [.head, .senco, .sendGovernor])
            _ = try await harness.client.ask(
                SchoolContactsRegister(
                    schoolURN: "100101", contacts: [SchoolContact(role: .head, email: "head@ashcombe.example")]),
                expecting: SchoolContactsRegistered.self)

            let reminder = SENCOReminderDue(
                reminderID: UUID(), spellID: UUID(), schoolURN: "100103", kind: .breach,
                recipients: [.head, .sendGovernor, .chair],
                dueOn: CalendarDate("2027-09-02")!,
                facts: SENCOReminderFacts(
                    personName: "Sam Okafor", status: .breach, deadline: CalendarDate("2027-09-01")),
                issuedAt: Date())
            try await harness.publish(reminder)
            // The SENCO service announcing the same reminder again (a new message id) changes nothing.
            try await harness.publish(reminder)
            // Head and SEND governor by email, and the webhook; no chair is registered but the webhook reached the school.
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 3 })
            let files = try Self.emails(in: setup.mailDrop)
            let recipients = Set(files.values.compactMap { Self.header("To", in: $0) })
            #expect(recipients == ["Dana Whitfield <head@brookhill.example>", "governor@brookhill.example"])
            #expect(
                files.values.allSatisfy {
                    Self.header("Subject", in: $0)
                        == "Holy Trinity Church of England Primary School, Kentish Town: SENCO qualification deadline passed"
                })
            #expect(files.values.allSatisfy { $0.contains("Sam Okafor") && $0.contains("1 September 2027") })
            #expect(!files.values.contains { $0.contains("ashcombe") })

            let calls = try receiver.calls()
            #expect(calls.count == 1)
            let call = try #require(calls.first)
            #expect(call.verified)
            #expect(call.contentType == "application/json")
            let webhookDelivery = try #require(
                await harness.events(NotificationDelivered.self).first { $0.channel == .webhook })
            #expect(call.id == webhookDelivery.notificationID.uuidString.lowercased())
            let body = try JSONValue(parsing: Data(call.body.utf8))
            #expect(body["type"] == .string("npq.notification.senco_breach"))
            #expect(body["data"]?["schoolURN"] == .string("100103"))
            #expect(body["data"]?["personName"] == .string("Sam Okafor"))

            // The other school's notice reaches only its own head.
            try await harness.publish(
                SENCOReminderDue(
                    reminderID: UUID(), spellID: UUID(), schoolURN: "100101", kind: .deadlineCountdown,
                    recipients: [.head], dueOn: CalendarDate("2027-03-01")!,
                    facts: SENCOReminderFacts(
                        personName: "Lee Chan", status: .notEnrolled, deadline: CalendarDate("2027-09-01")),
                    issuedAt: Date()))
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 4 })
            let after = try Self.emails(in: setup.mailDrop)
            let leeChan = after.values.filter { $0.contains("Lee Chan") }
            #expect(leeChan.count == 1)
            #expect(leeChan.allSatisfy { Self.header("To", in: $0) == "head@ashcombe.example" })
            #expect(try receiver.calls().count == 1)

            let log = try await harness.client.ask(
                NotificationLogGet(schoolURN: "100103"), expecting: NotificationLogResult.self)
            #expect(log.entries.count == 3)
            #expect(log.entries.allSatisfy { $0.status == .delivered })
        }
    }

    @Test("Each applicant notice is sent once, to the applicant, with its own facts")
    func applicantNotices() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            let submitted = Self.submitted(7)
            let id = submitted.applicationID
            let base = (course: submitted.course, provider: submitted.leadProvider, cohort: submitted.cohort)
            try await harness.publish(submitted)
            try await harness.publish(
                ApplicationAccepted(
                    applicationID: id, course: base.course, leadProvider: base.provider, cohort: base.cohort,
                    schedule: "npq-specialist-autumn", fundedPlace: true, acceptedAt: Date()))
            try await harness.publish(
                ParticipantDeferred(
                    applicationID: id, course: base.course, leadProvider: base.provider, cohort: base.cohort,
                    reason: .longTermSickness, deferredAt: Date()))
            try await harness.publish(
                ParticipantResumed(
                    applicationID: id, course: base.course, leadProvider: base.provider, cohort: base.cohort,
                    resumedAt: Date()))
            try await harness.publish(
                ParticipantOutcomeRecorded(
                    applicationID: id, course: base.course, leadProvider: base.provider, outcome: "passed",
                    completedOn: CalendarDate("2028-02-21")!, recordedAt: Date()))
            try await harness.publish(
                ApplicationFundingChanged(
                    applicationID: id, course: base.course, leadProvider: base.provider, cohort: base.cohort,
                    applicant: submitted.applicant, previous: submitted.funding!,
                    funding: FundingOutcome(
                        status: .markedIneligibleByPolicy, funded: false, reviewRequired: false,
                        explanation: "DfE's policy team decided this application cannot be funded."),
                    changedBy: "npq-operator", reason: "audit", changedAt: Date()))
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 6 })
            let delivered = await harness.events(NotificationDelivered.self)
            #expect(
                Set(delivered.map(\.kind)) == [
                    .applicationSubmitted, .applicationAccepted, .participantDeferred, .participantResumed,
                    .outcomePassed, .fundingChanged,
                ])
            #expect(delivered.allSatisfy { $0.recipient == .applicant && $0.applicationID == id })
            let files = try Self.emails(in: setup.mailDrop).values
            #expect(
                files.allSatisfy { Self.header("To", in: $0) == "Person Number7 Testname <person7@applicants.example>" }
            )
            let subjects = Set(files.compactMap { Self.header("Subject", in: $0) })
            #expect(subjects.contains("Teach First has accepted you onto Leading teaching (NPQLT)"))
            #expect(subjects.contains("Congratulations: you have passed Leading teaching (NPQLT)"))
            #expect(files.contains { $0.contains("deferred (reason: long term sickness)") })
            #expect(files.contains { $0.contains("passed Leading teaching (NPQLT) on 21 February 2028") })
            #expect(files.contains { $0.contains("Your place is funded by a DfE scholarship.") })
            #expect(files.contains { $0.contains("You are not eligible for scholarship funding.") })
        }
    }

    @Test("The school hears that its SENCO starts the NPQ for SENCOs, with the expected outcome against the deadline")
    func staffAccepted() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            _ = try await harness.client.ask(
                SchoolContactsRegister(
                    schoolURN: "100103",
                    contacts: [
                        SchoolContact(role: .head, name: "Dana Whitfield", email: "head@brookhill.example"),
                        SchoolContact(role: .sendGovernor, email: "governor@brookhill.example"),
                        SchoolContact(role: .office, email: "office@brookhill.example"),
                    ]),
                expecting: SchoolContactsRegistered.self)
            var submitted = Self.submitted(11)
            submitted.course = "npq-senco"
            try await harness.publish(submitted)
            try await harness.publish(
                SENCODeadlineTracked(
                    spell: SENCOSpellStatus(
                        spellID: UUID(), schoolURN: "100103",
                        person: SENCOPerson(
                            name: "Person Number11 Testname", trn: submitted.applicant.trn, email: "other@x.example"),
                        appointedOn: CalendarDate("2025-09-01")!, datePrecision: .day, endedOn: nil, inScope: true,
                        status: .notEnrolled, deadline: CalendarDate("2028-09-01")!, alternativeDeadline: nil,
                        nasencoDeadline: nil, expectedOutcome: nil, recommendedCohort: "2026b", lastSafeCohort: nil,
                        flags: [], reason: "Not yet on the NPQ for SENCOs.", history: []),
                    trackedAt: Date()))
            try await harness.publish(
                ParticipantScheduled(
                    applicationID: submitted.applicationID, cohort: "2026b", course: "npq-senco",
                    courseGroup: .specialist, leadProvider: "teach-first", schedule: "npq-specialist-autumn",
                    scheduleDefaulted: true, milestones: [Milestone(.started, CalendarDate("2026-11-16")!)],
                    startDate: CalendarDate("2026-11-16")!, expectedOutcomeDate: CalendarDate("2028-09-16"),
                    scheduledAt: Date()))
            // The applicant's own notice, and the head and SEND governor (not the office).
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 3 })
            let school = try Self.emails(in: setup.mailDrop).values.filter {
                Self.header("To", in: $0)?.contains("brookhill") == true
            }
            #expect(
                Set(school.compactMap { Self.header("To", in: $0) }) == [
                    "Dana Whitfield <head@brookhill.example>", "governor@brookhill.example",
                ])
            for text in school {
                #expect(
                    Self.header("Subject", in: text)
                        == "Person Number11 Testname has been accepted onto Special educational needs co-ordinators (NPQSENCO)"
                )
                #expect(text.contains("Training starts on 16 November 2026."))
                #expect(text.contains("The outcome is expected by 16 September 2028."))
                #expect(text.contains("SENCO qualification deadline: 1 September 2028."))
                #expect(text.contains("AFTER the deadline"))
            }
        }
    }

    @Test("A school role with no contact and no webhook is recorded as failed and reported, not silently dropped")
    func noRecipient() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            try await harness.publish(
                SENCOReminderDue(
                    reminderID: UUID(), spellID: UUID(), schoolURN: "107201", kind: .breach,
                    recipients: [.head, .chair],
                    dueOn: CalendarDate("2027-09-02")!,
                    facts: SENCOReminderFacts(
                        personName: "Ari Jones", status: .breach, deadline: CalendarDate("2027-09-01")),
                    issuedAt: Date()))
            #expect(await eventually { await harness.events(NotificationFailed.self).count == 2 })
            let failed = await harness.events(NotificationFailed.self)
            #expect(Set(failed.map(\.recipient)) == [.head, .chair])
            #expect(failed.allSatisfy { $0.permanent && $0.reason.contains("no webhook") })
            #expect(try Self.emails(in: setup.mailDrop).isEmpty)
        }
    }

    @Test(
        "Contacts that cannot be used are refused naming the field",
        arguments: [
            (
                "{\"schoolURN\":\"100103\",\"contacts\":[{\"role\":\"head\",\"email\":\"not-an-email\"}]}",
                "contacts[0].email"
            ),
            (
                "{\"schoolURN\":\"100103\",\"contacts\":[{\"role\":\"caretaker\",\"email\":\"a@b.example\"}]}",
                "contacts[0].role"
            ),
            ("{\"schoolURN\":\"100103\",\"contacts\":[]}", "contacts"),
            (
                "{\"schoolURN\":\"100103\",\"contacts\":[{\"role\":\"head\",\"email\":\"a@b.example\"}],\"webhook\":{\"url\":\"https://mis.example/npq\",\"secret\":\"nope\"}}",
                "webhook.secret"
            ),
        ])
    func badContacts(body: String, field: String) async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            // A well-formed message of the type, with the body swapped for the one under test.
            let envelope = Envelope.new(for: SchoolContactsRegister.self, source: "urn:npq:test", appID: "test")
            var message = OutgoingMessage(SchoolContactsRegister.example, envelope: envelope).amqpMessage
            message.body = Data(body.utf8)
            message.properties.userID = try TestBroker.configuration().user
            try await harness.connection.publish(message)
            #expect(
                await eventually {
                    await harness.events(MessageRejected.self).contains {
                        $0.service == "notifications" && $0.fieldErrors.contains { $0.field == field }
                    }
                })
            #expect(await harness.events(SchoolContactsRegistered.self).isEmpty)
        }
    }

    @Test("Only the school's own user, a user named for it, or an operator registers its contacts")
    func contactsAuthorisation() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            func client(_ user: String) async throws -> (NPQClient, AMQPConnection) {
                try? await TestBroker.control("ctl", "add_user", user, "secret-\(user)")
                try await TestBroker.control("ctl", "set_permissions", "-p", "/", user, ".*", ".*", ".*")
                var configuration = try TestBroker.configuration(name: user)
                configuration.user = user
                configuration.password = "secret-\(user)"
                let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
                return (
                    NPQClient(connection: connection, source: "urn:npq:test", appID: user, userID: user), connection
                )
            }
            let (own, ownConnection) = try await client("npq-school-100103")
            let (other, otherConnection) = try await client("npq-school-100101")
            defer {
                Task {
                    await ownConnection.close()
                    await otherConnection.close()
                }
            }
            let command = SchoolContactsRegister(
                schoolURN: "100103", contacts: [SchoolContact(role: .head, email: "head@brookhill.example")])
            let refused = await #expect(throws: QueryRejectedError.self) {
                try await other.ask(command, expecting: SchoolContactsRegistered.self)
            }
            #expect(refused?.rejection.reason == .unauthorized)
            let registered = try await own.ask(command, expecting: SchoolContactsRegistered.self)
            #expect(registered.registeredBy == "npq-school-100103")
        }
    }

    @Test("An applicant rejected before the funding decision is still told")
    func rejectedBeforeSubmitted() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            let submitted = Self.submitted(21)
            try await harness.publish(
                ApplicationReceived(
                    applicationID: submitted.applicationID, applicant: submitted.applicant, course: submitted.course,
                    leadProvider: submitted.leadProvider, cohort: submitted.cohort,
                    workplace: Workplace(
                        worksIn: .england, workSetting: .aSchool, institution: Institution(urn: "100103")),
                    receivedAt: Date()))
            try await harness.publish(
                ApplicationRejected(
                    applicationID: submitted.applicationID, course: submitted.course,
                    leadProvider: submitted.leadProvider,
                    cohort: submitted.cohort, cause: .otherApplicationInThisCohortAccepted, rejectedAt: Date()))
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 1 })
            #expect(await harness.events(NotificationDelivered.self).first?.kind == .applicationRejected)
            let text = try #require(try Self.emails(in: setup.mailDrop).values.first)
            #expect(text.contains("through another application"))
        }
    }

    @Test("An http webhook, or one on this machine or a private network, is refused unless allowed for local use")
    func httpWebhookRefused() async throws {
        let mailDrop = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: mailDrop) }
        var changed = try Self.options(Setup(smtpURL: nil, mailDrop: mailDrop))
        changed.allowHTTPWebhooks = false
        let options = changed
        try await ServiceHarness.with(
            service: "notifications", now: Date(), bindings: [(Topology.eventsExchange, MessageRejected.routingKey)],
            configure: { app in try NotificationsService.configure(&app, options: options) }
        ) { harness in
            let error = await #expect(throws: QueryRejectedError.self) {
                try await harness.client.ask(
                    SchoolContactsRegister(
                        schoolURN: "100103", contacts: [SchoolContact(role: .head, email: "h@s.example")],
                        webhook: SchoolWebhook(url: "http://mis.example/npq", secret: Self.secret)),
                    expecting: SchoolContactsRegistered.self)
            }
            #expect(error?.rejection.fieldErrors.map(\.rule) == ["https_required"])
            for url in [
                "https://127.0.0.1/npq", "https://10.2.3.4/npq", "https://[::1]/npq", "https://mis.localhost/x",
            ] {
                let local = await #expect(throws: QueryRejectedError.self) {
                    try await harness.client.ask(
                        SchoolContactsRegister(
                            schoolURN: "100103", contacts: [SchoolContact(role: .head, email: "h@s.example")],
                            webhook: SchoolWebhook(url: url, secret: Self.secret)),
                        expecting: SchoolContactsRegistered.self)
                }
                #expect(local?.rejection.fieldErrors.map(\.rule) == ["public_host"], "\(url)")
            }
        }
    }

    @Test("Webhook answers: 5xx is retried until delivered, 410 is given up at once and reported")
    func webhookRetries() async throws {
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        // Its answers are 5 kB: more than the service keeps, which must not make a 200 a failure.
        let flaky = try WebhookReceiver(secret: Self.secret, failFirst: 2, bodyBytes: 5_000)
        let gone = try WebhookReceiver(secret: Self.secret, status: 410)
        defer {
            flaky.stop()
            gone.stop()
        }
        try await Self.with(setup) { harness in
            for (school, receiver) in [("100103", flaky), ("100101", gone)] {
                _ = try await harness.client.ask(
                    SchoolContactsRegister(
                        schoolURN: school, contacts: [SchoolContact(role: .office, email: "office\(school)@s.example")],
                        webhook: SchoolWebhook(url: receiver.url, secret: Self.secret)),
                    expecting: SchoolContactsRegistered.self)
                try await harness.publish(
                    SENCOReminderDue(
                        reminderID: UUID(), spellID: UUID(), schoolURN: school, kind: .registrationOpened,
                        recipients: [.senco], dueOn: CalendarDate("2026-06-23")!,
                        facts: SENCOReminderFacts(personName: "Kim Lee", status: .notEnrolled, deadline: nil),
                        issuedAt: Date()))
            }
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 1 })
            #expect(await eventually { await harness.events(NotificationFailed.self).count == 1 })
            #expect(await harness.events(NotificationDelivered.self).first?.attempts == 3)
            #expect(try flaky.calls().map(\.status) == [500, 500, 200])
            #expect(try Set(flaky.calls().map(\.id)).count == 1)
            #expect(try flaky.calls().allSatisfy(\.verified))
            let failed = try #require(await harness.events(NotificationFailed.self).first)
            #expect(failed.permanent)
            #expect(failed.attempts == 1)
            #expect(failed.reason.hasPrefix("HTTP 410"))
            #expect(try gone.calls().count == 1)
        }
    }

    @Test(
        "1,000 notifications over SMTP with STARTTLS while the server is down for a while: all delivered, none twice; replaying the events sends nothing; no personal data in the log"
    )
    func outageAndReplay() async throws {
        let authority = try await SMTPTestServer.CertificateAuthority.make()
        let certificate = try await authority.issue()
        let server = try await SMTPTestServer.start(SMTPTestServer.Options(startTLS: certificate))
        defer { Task { try? await server.stop() } }
        let setup = Setup(
            smtpURL: "smtp://127.0.0.1:\(server.port)?starttls=required&cacertfile=\(authority.certificateFile)",
            mailDrop: Self.temporaryDirectory())
        try await Self.with(setup) { harness in
            let events = (0..<1_000).map { (Self.submitted($0), Envelope.newMessageID()) }
            for (event, id) in events.prefix(300) { try await harness.publish(event, messageID: id) }
            #expect(await eventually { await harness.events(NotificationDelivered.self).count >= 100 })
            // The service restarts (graceful shutdown) while deliveries are in flight.
            try await harness.restart()
            // The mail server goes away while the rest arrive, and comes back 3 s later.
            try await server.stop()
            for (event, id) in events.dropFirst(300) { try await harness.publish(event, messageID: id) }
            try await Task.sleep(for: .seconds(3))
            try await server.start()
            #expect(
                await eventually(timeout: .seconds(120)) {
                    await harness.events(NotificationDelivered.self).count >= 1_000
                })
            let received = try server.received()
            let ids = received.compactMap { Self.header("Message-ID", in: $0.text) }
            #expect(received.count == 1_000)
            #expect(Set(ids).count == 1_000)
            #expect(received.allSatisfy { $0.tls })
            let delivered = await harness.events(NotificationDelivered.self)
            #expect(Set(delivered.map(\.notificationID)).count == 1_000)
            let retried = delivered.filter { $0.attempts > 1 }
            #expect(!retried.isEmpty)
            let sample = try #require(retried.first)
            let log = try await harness.client.ask(
                NotificationLogGet(applicationID: sample.applicationID), expecting: NotificationLogResult.self)
            #expect(log.entries.first?.status == .delivered)
            #expect(log.entries.first?.lastError?.isEmpty == false)

            // Replays: the same events again, once the inbox has forgotten them; their notifications exist.
            let database = try #require(harness.serviceDataDirectory) + "/notifications.sqlite"
            _ = try await SMTPTestServer.runPython(
                """
                import sqlite3, sys
                connection = sqlite3.connect(sys.argv[1], timeout=30)
                connection.execute("DELETE FROM npq_inbox")
                connection.commit()
                """, arguments: [database])
            for (event, id) in events { try await harness.publish(event, messageID: id) }
            let marker = Self.submitted(5_000)
            try await harness.publish(marker)
            #expect(await eventually { await harness.events(NotificationDelivered.self).count >= 1_001 })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try server.received().count == 1_001)
            #expect(await harness.events(NotificationDelivered.self).count == 1_001)

            // Names, emails and TRNs went into emails, never into the log at info or above.
            let logText = setup.capture.text
            #expect(logText.contains("notification delivered"))
            #expect(logText.contains("trying again later"))
            for index in [0, 1, 299, 300, 999, 5_000] {
                #expect(!logText.contains("person\(index)@"), "email \(index) in the log")
                #expect(!logText.contains("Number\(index) "), "name \(index) in the log")
                #expect(!logText.contains(String(format: "9%06d", index)), "TRN \(index) in the log")
            }
            #expect(!logText.contains("@applicants.example"))
        }
    }

    @Test(
        "A fault of the mail relay itself (no STARTTLS) is retried, not given up: fixing the relay lets the mail through"
    )
    func relayFaultRetried() async throws {
        let server = try await SMTPTestServer.start(SMTPTestServer.Options())
        defer { Task { try? await server.stop() } }
        let setup = Setup(
            smtpURL: "smtp://127.0.0.1:\(server.port)?starttls=required", mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            let event = Self.submitted(31)
            try await harness.publish(event)
            var entry: NotificationLogEntry?
            #expect(
                await eventually {
                    entry = try? await harness.client.ask(
                        NotificationLogGet(applicationID: event.applicationID), expecting: NotificationLogResult.self
                    ).entries.first
                    return (entry?.attempts ?? 0) >= 2
                })
            #expect(entry?.status == .pending)
            #expect(entry?.lastError?.lowercased().contains("starttls") == true)
            #expect(await harness.events(NotificationFailed.self).isEmpty)
            #expect(try server.received().isEmpty)
        }
    }

    @Test(
        "A notification a killed process had taken for sending is sent at the next start, not after its 10-minute lease"
    )
    func abandonedLeaseReleasedAtStart() async throws {
        // Found by the fault suite: SIGKILL mid-send left notifications leased for 600 s to a process that was gone.
        let setup = Setup(smtpURL: nil, mailDrop: Self.temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: setup.mailDrop) }
        try await Self.with(setup) { harness in
            let event = Self.submitted(7)
            try await harness.publish(event)
            #expect(await eventually { await harness.events(NotificationDelivered.self).count == 1 })
            let sent = try #require(await harness.events(NotificationDelivered.self).first)
            // As a process that died mid-send leaves it: pending, taken by another owner until 10 minutes from now.
            let database = try #require(harness.serviceDataDirectory) + "/notifications.sqlite"
            try FileManager.default.removeItem(
                atPath: setup.mailDrop + "/\(sent.notificationID.uuidString.lowercased()).eml")
            _ = try await SMTPTestServer.runPython(
                """
                import datetime, sqlite3, sys
                later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10))
                connection = sqlite3.connect(sys.argv[1], timeout=30)
                connection.execute(
                    "UPDATE notifications_delivery SET status = 'pending', delivered_at = NULL, "
                    "lease_owner = 'a-process-that-died', next_attempt_at = ? WHERE notification_id = ?",
                    (later.strftime("%Y-%m-%dT%H:%M:%S.000Z"), sys.argv[2]))
                connection.commit()
                assert connection.total_changes == 1
                """, arguments: [database, sent.notificationID.uuidString.lowercased()])
            try await harness.restart()
            #expect(
                await eventually(timeout: .seconds(20)) {
                    await harness.events(NotificationDelivered.self).count == 2
                }, "the abandoned notification was not sent again after the restart")
            let again = await harness.events(NotificationDelivered.self).last
            #expect(again?.notificationID == sent.notificationID)
            #expect(again?.attempts == 2)
            #expect(try Self.emails(in: setup.mailDrop).count == 1)
            #expect(setup.capture.text.contains("notifications taken by a process that stopped mid-send are due again"))
        }
    }

    @Test("A template with a misspelt placeholder stops the service at start, naming the file")
    func badTemplateStopsStart() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let templates = Self.repository.appendingPathComponent("reference/notifications/templates").path
        for name in try FileManager.default.contentsOfDirectory(atPath: templates) {
            try FileManager.default.copyItem(atPath: "\(templates)/\(name)", toPath: "\(directory)/\(name)")
        }
        try "Subject: Accepted\n\nDear {{naem}},\n".write(
            toFile: "\(directory)/application_accepted.txt", atomically: true, encoding: .utf8)
        var options = try Self.options(Setup(smtpURL: nil, mailDrop: directory))
        options.templatesDirectory = directory
        var app = ServiceApplication(
            configuration: try ServiceConfiguration.load(
                service: "notifications", environment: ["NPQ_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/"]),
            logger: Logger(label: "test"))
        #expect {
            try NotificationsService.configure(&app, options: options)
        } throws: { error in
            "\(error)".contains("application_accepted.txt") && "\(error)".contains("{{naem}}")
        }
    }
}
