import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import NotificationsDomain
import SMTP
import SchoolRegisterCopy
import ServiceRuntime

/// `npq-notifications`: tells applicants and schools what they must hear about, by email and signed webhook, once.
///
/// - Applicants, by the email on their application: submitted (with the funding outcome and its explanation),
///   accepted, rejected, deferred, resumed, withdrawn, passed, failed, funding changed, and registration opened for a
///   course they registered interest in.
/// - Schools, by the contacts they registered (`school.contacts.register`) and their webhook: a member of staff
///   accepted onto an NPQ (for NPQSENCO with the expected outcome against the SENCO deadline), and every
///   `senco.reminder.due` to the roles it names.
///
/// Each notification has an id derived from its cause (the event's message id), its recipient and its kind, and is
/// stored in the handler's transaction; a worker then delivers what is due — email through SMTP (`NPQ_SMTP_URL`) or
/// into the mail-drop folder, webhooks over HTTPS — retrying transient failures with backoff and jitter, and
/// records every attempt (`notification.log.get`), publishing `notification.delivered` or `notification.failed`.
public enum NotificationsService {
    public struct Options: Sendable {
        /// `NPQ_NOTIFICATIONS_TEMPLATES_DIR`: the templates, `<kind>.txt` and optionally `<kind>.html`.
        public var templatesDirectory: String
        /// `NPQ_SMTP_URL`: the mail server; without it, emails go to the mail-drop folder.
        public var smtpURL: String?
        /// `NPQ_SMTP_CA_FILE`: a PEM file of certificate authorities to trust for the mail server, beside the system's.
        public var smtpCAFile: String?
        /// `NPQ_MAIL_DROP_DIR`: where emails are written as `.eml` files when no mail server is configured.
        public var mailDropDirectory: String
        /// `NPQ_MAIL_FROM`: the sender, e.g. `NPQ <no-reply@npq.example>`.
        public var mailFrom: String
        /// `NPQ_WEBHOOK_ALLOW_HTTP`: accept `http://` webhooks (local use only).
        public var allowHTTPWebhooks: Bool
        /// `NPQ_WEBHOOK_TIMEOUT`: how long a webhook may take to answer.
        public var webhookTimeout: Duration
        /// `NPQ_NOTIFICATIONS_RETRY_BASE`, `NPQ_NOTIFICATIONS_RETRY_MAX`, `NPQ_NOTIFICATIONS_MAX_ATTEMPTS`.
        public var retry: RetryPolicy
        /// `NPQ_NOTIFICATIONS_CONCURRENCY`: deliveries in flight at once (by default
        /// ``defaultConcurrency(smtpURL:)``).
        public var concurrency: Int
        /// `NPQ_NOTIFICATIONS_POLL_INTERVAL`: how often the worker looks for retries that have come due.
        public var pollInterval: Duration
        /// `NPQ_COHORTS_REFERENCE_DIR`: course, lead provider and cohort names for the notices.
        public var cohortsReferenceDirectory: String
        /// `NPQ_SCHOOLS_FILE`: school names for the notices; it seeds the copy of the schools register at first start,
        /// which npq-eligibility's `school.register.changed` keeps up to date from then on.
        public var schoolsFile: String
        /// `NPQ_NOTIFICATIONS_READERS`: broker users that may read the delivery log.
        public var readers: Set<String>
        /// `NPQ_SCHOOL_USERS`: `user=urn|urn` pairs, beyond the `npq-school-<urn>` convention, for users that register
        /// schools' contacts (an MIS vendor).
        public var schoolUsers: String?
        /// `NPQ_OPERATOR_USERS`: broker users that may register any school's contacts.
        public var operators: Set<String>

        public init(
            templatesDirectory: String = "reference/notifications/templates", smtpURL: String? = nil,
            smtpCAFile: String? = nil, mailDropDirectory: String = "./.run/mail",
            mailFrom: String = "National Professional Qualifications <no-reply@npq.localhost>",
            allowHTTPWebhooks: Bool = false, webhookTimeout: Duration = .seconds(10),
            retry: RetryPolicy = RetryPolicy(),
            concurrency: Int? = nil, pollInterval: Duration = .seconds(1),
            cohortsReferenceDirectory: String = "reference/cohorts",
            schoolsFile: String = "reference/eligibility/schools.csv", readers: Set<String> = ["npq-operator"],
            schoolUsers: String? = nil, operators: Set<String> = ["npq-operator"]
        ) {
            self.schoolUsers = schoolUsers
            self.operators = operators
            self.templatesDirectory = templatesDirectory
            self.smtpURL = smtpURL
            self.smtpCAFile = smtpCAFile
            self.mailDropDirectory = mailDropDirectory
            self.mailFrom = mailFrom
            self.allowHTTPWebhooks = allowHTTPWebhooks
            self.webhookTimeout = webhookTimeout
            self.retry = retry
            self.concurrency = concurrency ?? Self.defaultConcurrency(smtpURL: smtpURL)
            self.pollInterval = pollInterval
            self.cohortsReferenceDirectory = cohortsReferenceDirectory
            self.schoolsFile = schoolsFile
            self.readers = readers
        }

        /// 8 deliveries at once through a mail server (a connection each), 32 into the mail drop, where the
        /// deliveries in flight share one disk sync.
        public static func defaultConcurrency(smtpURL: String?) -> Int { smtpURL == nil ? 32 : 8 }

        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            let base = try reader.duration(
                "NPQ_NOTIFICATIONS_RETRY_BASE", default: .seconds(30), range: .milliseconds(10) ... .seconds(86_400))
            let maximum = try reader.duration(
                "NPQ_NOTIFICATIONS_RETRY_MAX", default: .seconds(3_600),
                range: .milliseconds(10) ... .seconds(86_400 * 7)
            )
            guard maximum >= base else {
                throw ConfigurationError(
                    code: .invalidValue, variable: "NPQ_NOTIFICATIONS_RETRY_MAX", value: "\(maximum)",
                    rule: "must not be shorter than NPQ_NOTIFICATIONS_RETRY_BASE")
            }
            let dataDirectory = try reader.path("NPQ_DATA_DIR", default: "./.run/data")
            let smtpURL = try reader.string("NPQ_SMTP_URL")
            return Options(
                templatesDirectory: try reader.path(
                    "NPQ_NOTIFICATIONS_TEMPLATES_DIR", default: "reference/notifications/templates"),
                smtpURL: smtpURL, smtpCAFile: try reader.optionalPath("NPQ_SMTP_CA_FILE"),
                mailDropDirectory: try reader.path("NPQ_MAIL_DROP_DIR", default: "\(dataDirectory)/mail"),
                mailFrom: try reader.string(
                    "NPQ_MAIL_FROM", default: "National Professional Qualifications <no-reply@npq.localhost>"),
                allowHTTPWebhooks: try reader.bool("NPQ_WEBHOOK_ALLOW_HTTP", default: false),
                webhookTimeout: try reader.duration(
                    "NPQ_WEBHOOK_TIMEOUT", default: .seconds(10), range: .milliseconds(100) ... .seconds(300)),
                retry: RetryPolicy(
                    base: base, maximumDelay: maximum,
                    maximumAttempts: try reader.int("NPQ_NOTIFICATIONS_MAX_ATTEMPTS", default: 10, range: 1...100)),
                concurrency: try reader.int(
                    "NPQ_NOTIFICATIONS_CONCURRENCY", default: defaultConcurrency(smtpURL: smtpURL), range: 1...256),
                pollInterval: try reader.duration(
                    "NPQ_NOTIFICATIONS_POLL_INTERVAL", default: .seconds(1), range: .milliseconds(10) ... .seconds(300)),
                cohortsReferenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"),
                schoolsFile: try reader.path("NPQ_SCHOOLS_FILE", default: "reference/eligibility/schools.csv"),
                readers: try reader.userList("NPQ_NOTIFICATIONS_READERS", default: "npq-operator"),
                schoolUsers: try reader.string("NPQ_SCHOOL_USERS"),
                operators: try reader.userList("NPQ_OPERATOR_USERS", default: "npq-operator"))
        }
    }

    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        let templates = try NotificationTemplates.load(directory: options.templatesDirectory)
        let names = try ReferenceNames.load(cohortsDirectory: options.cohortsReferenceDirectory)
        // Only a first start needs the schools file; a missing one is refused then, when the copy is empty.
        let schoolsFile = try FileManager.default.contents(atPath: options.schoolsFile).map {
            try SchoolRegister.rows($0, file: options.schoolsFile).map(\.school)
        }
        let sender = try Mailbox.parse(options.mailFrom, variable: "NPQ_MAIL_FROM")
        let email: any EmailTransport
        if let url = options.smtpURL {
            var configuration: SMTPConfiguration
            do {
                configuration = try SMTPConfiguration(url: url)
            } catch {
                throw ConfigurationError(
                    code: .invalidValue, variable: "NPQ_SMTP_URL",
                    value: ConfigurationReader.masked(url, variable: "NPQ_SMTP_URL"), rule: "\(error)")
            }
            if let ca = options.smtpCAFile { configuration.certificateAuthorityFile = ca }
            do {
                email = SMTPTransport(client: try SMTPClient(configuration: configuration))
            } catch {
                throw ConfigurationError(
                    code: .invalidValue, variable: "NPQ_SMTP_URL", value: configuration.redactedURL, rule: "\(error)")
            }
        } else {
            email = try MailDropTransport(directory: options.mailDropDirectory)
        }
        let schools: SchoolUsers
        do {
            schools = try SchoolUsers(parsing: options.schoolUsers, operators: options.operators)
        } catch {
            throw ConfigurationError(
                code: .invalidValue, variable: "NPQ_SCHOOL_USERS", value: options.schoolUsers,
                rule: "must be user=urn|urn pairs separated by commas (\(error))")
        }
        let handlers = NotificationsHandlers(
            templates: templates, names: names, allowHTTPWebhooks: options.allowHTTPWebhooks, readers: options.readers,
            schools: schools)
        let worker = DeliveryWorker(
            email: email, webhooks: WebhookSender(timeout: options.webhookTimeout), sender: sender,
            retry: options.retry, concurrency: options.concurrency, pollInterval: options.pollInterval)
        app.migrations = NotificationsStore.migrations + [SchoolRegisterCopy.migration(version: 101)]
        app.onStart("schools register copy") { context in
            guard try await SchoolRegisterCopy.isEmpty(in: context.database) else { return }
            guard let schoolsFile else {
                throw EligibilityError(
                    .schoolsRegister, file: options.schoolsFile,
                    "cannot be read, and the service has no copy of the schools register yet; set NPQ_SCHOOLS_FILE")
            }
            try await SchoolRegisterCopy.seed(schoolsFile, in: context.database)
        }
        app.on(ApplicationReceived.self, handlers.received)
        app.on(ApplicationSubmitted.self, handlers.submitted)
        app.on(ApplicationAccepted.self, handlers.accepted)
        app.on(ApplicationRejected.self, handlers.rejected)
        app.on(ParticipantDeferred.self, handlers.deferred)
        app.on(ParticipantResumed.self, handlers.resumed)
        app.on(ParticipantWithdrawn.self, handlers.withdrawn)
        app.on(ParticipantOutcomeRecorded.self, handlers.outcome)
        app.on(ApplicationFundingChanged.self, handlers.fundingChanged)
        app.on(InterestRegistrationOpened.self, handlers.registrationOpened)
        app.on(ParticipantScheduled.self, handlers.scheduled)
        app.on(SENCOReminderDue.self, handlers.reminder)
        app.on(SENCODeadlineTracked.self, handlers.deadlineTracked)
        app.on(SENCOStatusChanged.self, handlers.statusChanged)
        app.on(SchoolContactsRegister.self, handlers.registerContacts)
        app.on(NotificationLogGet.self, handlers.log)
        app.on(SchoolRegisterChanged.self, SchoolRegisterCopy.changed)
        app.worker("deliveries") { context in try await worker.run(context) }
    }
}
