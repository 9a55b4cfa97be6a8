import Foundation
import MessageContracts
import NotificationsDomain
import SchoolRegisterCopy
import ServiceRuntime

/// The notifications service's handlers: each event someone must hear about becomes one notification per recipient
/// and channel, rendered and stored in the handler's transaction; the delivery worker sends them.
struct NotificationsHandlers: Sendable {
    let templates: NotificationTemplates
    let names: ReferenceNames
    let allowHTTPWebhooks: Bool
    /// Broker users that may read the delivery log.
    let readers: Set<String>
    /// Who may register contacts for which school.
    let schools: SchoolUsers

    // MARK: - Applicants

    /// Who applied, learned as early as possible: an application rejected before its funding was decided is never
    /// announced as submitted, but its applicant is still told of the rejection.
    func received(_ message: IncomingMessage<ApplicationReceived>, _ context: HandlerContext) async throws {
        let event = message.payload
        try await NotificationsStore.saveApplication(
            NotificationsStore.ApplicationRow(
                id: event.applicationID, fullName: event.applicant.fullName, email: event.applicant.email,
                trn: event.applicant.trn, course: event.course, leadProvider: event.leadProvider, cohort: event.cohort,
                schoolURN: event.workplace.institution?.urn),
            in: context.database)
    }

    func submitted(_ message: IncomingMessage<ApplicationSubmitted>, _ context: HandlerContext) async throws {
        let event = message.payload
        let application = NotificationsStore.ApplicationRow(
            id: event.applicationID, fullName: event.applicant.fullName, email: event.applicant.email,
            trn: event.applicant.trn, course: event.course, leadProvider: event.leadProvider, cohort: event.cohort,
            schoolURN: event.schoolURN)
        try await NotificationsStore.saveApplication(application, in: context.database)
        var values = applicantValues(application)
        if let funding = event.funding {
            values[text: "fundingStatus"] = funding.status.rawValue
            values[text: "fundingExplanation"] = funding.explanation
            values[flag: "funded"] = funding.funded
            values[flag: "reviewRequired"] = funding.reviewRequired
        }
        values[text: "fundingChoice"] = event.fundingChoice.map(Self.payer)
        try await notifyApplicant(.applicationSubmitted, application, values, message, context)
    }

    func accepted(_ message: IncomingMessage<ApplicationAccepted>, _ context: HandlerContext) async throws {
        let application = try await known(message.payload.applicationID, context)
        var values = applicantValues(application)
        values[flag: "fundedPlace"] = message.payload.fundedPlace == true
        values[text: "schedule"] = message.payload.schedule
        try await notifyApplicant(.applicationAccepted, application, values, message, context)
    }

    func rejected(_ message: IncomingMessage<ApplicationRejected>, _ context: HandlerContext) async throws {
        let event = message.payload
        let application = try await known(event.applicationID, context)
        var values = applicantValues(application)
        values[text: "reason"] = event.reason
        values[flag: "rejectedByProvider"] = event.cause == .rejectedByProvider
        values[flag: "otherApplicationAccepted"] = event.cause == .otherApplicationInThisCohortAccepted
        values[flag: "registrationExpired"] = event.cause == .registrationExpired
        try await notifyApplicant(.applicationRejected, application, values, message, context)
    }

    func deferred(_ message: IncomingMessage<ParticipantDeferred>, _ context: HandlerContext) async throws {
        let application = try await known(message.payload.applicationID, context)
        var values = applicantValues(application)
        values[text: "reason"] = Self.words(message.payload.reason.rawValue)
        try await notifyApplicant(.participantDeferred, application, values, message, context)
    }

    func resumed(_ message: IncomingMessage<ParticipantResumed>, _ context: HandlerContext) async throws {
        let application = try await known(message.payload.applicationID, context)
        try await notifyApplicant(.participantResumed, application, applicantValues(application), message, context)
    }

    func withdrawn(_ message: IncomingMessage<ParticipantWithdrawn>, _ context: HandlerContext) async throws {
        let application = try await known(message.payload.applicationID, context)
        var values = applicantValues(application)
        values[text: "reason"] = Self.words(message.payload.reason.rawValue)
        try await notifyApplicant(.participantWithdrawn, application, values, message, context)
    }

    func outcome(_ message: IncomingMessage<ParticipantOutcomeRecorded>, _ context: HandlerContext) async throws {
        let event = message.payload
        let application = try await known(event.applicationID, context)
        var values = applicantValues(application)
        values[text: "completedOn"] = ReferenceNames.day(event.completedOn)
        let kind: NotificationKind = event.outcome == "passed" ? .outcomePassed : .outcomeFailed
        try await notifyApplicant(kind, application, values, message, context)
    }

    func fundingChanged(_ message: IncomingMessage<ApplicationFundingChanged>, _ context: HandlerContext) async throws {
        let event = message.payload
        let application = try await known(event.applicationID, context)
        var values = applicantValues(application)
        values[text: "fundingStatus"] = event.funding.status.rawValue
        values[text: "fundingExplanation"] = event.funding.explanation
        values[text: "previousStatus"] = event.previous.status.rawValue
        values[flag: "funded"] = event.funding.funded
        try await notifyApplicant(.fundingChanged, application, values, message, context)
    }

    func registrationOpened(
        _ message: IncomingMessage<InterestRegistrationOpened>, _ context: HandlerContext
    ) async throws {
        let event = message.payload
        var values = NotificationValues()
        values[text: "name"] = event.fullName
        values[text: "course"] = event.course
        values[text: "courseName"] = names.course(event.course)
        values[text: "cohort"] = event.cohort
        values[text: "cohortName"] = names.cohort(event.cohort)
        values[text: "leadProviders"] = event.leadProviders.map(names.provider).joined(separator: ", ")
        values[text: "registrationCloses"] = ReferenceNames.day(event.registrationCloses)
        let delivery = NotificationsStore.Delivery(
            id: Self.notificationID(
                cause: message.envelope.messageID, recipient: "interest:\(event.interestID)", .registrationOpened),
            kind: .registrationOpened, channel: .email, recipient: .applicant, address: event.email,
            displayName: event.fullName, schoolURN: nil, applicationID: nil, causeID: message.envelope.messageID,
            content: templates.render(.registrationOpened, values))
        try await NotificationsStore.enqueue(delivery, at: context.now, in: context.database)
    }

    // MARK: - Schools

    /// A member of a school's staff starts an NPQ: the school hears of it once the schedule is set (with the start and
    /// the expected outcome), and for NPQSENCO how that outcome compares with the SENCO deadline.
    func scheduled(_ message: IncomingMessage<ParticipantScheduled>, _ context: HandlerContext) async throws {
        let event = message.payload
        let application = try await known(event.applicationID, context)
        guard let school = application.schoolURN else { return }
        var values = NotificationValues()
        values[text: "staffName"] = application.fullName
        values[text: "course"] = application.course
        values[text: "courseName"] = names.course(application.course)
        values[text: "leadProvider"] = application.leadProvider
        values[text: "leadProviderName"] = names.provider(application.leadProvider)
        values[text: "cohort"] = application.cohort
        values[text: "cohortName"] = names.cohort(application.cohort)
        values[text: "startDate"] = ReferenceNames.day(event.startDate)
        values[text: "expectedOutcome"] = event.expectedOutcomeDate.map(ReferenceNames.day)
        var roles: [ContactRole] = [.head]
        if application.course == "npq-senco" {
            values[flag: "senco"] = true
            roles.append(.sendGovernor)
            if let deadline = try await NotificationsStore.sencoDeadline(
                school: school, email: application.email, trn: application.trn, in: context.database)
            {
                values[text: "sencoDeadline"] = ReferenceNames.day(deadline)
                if let outcome = event.expectedOutcomeDate {
                    values[flag: "outcomeBeforeDeadline"] = outcome <= deadline
                    values[flag: "outcomeAfterDeadline"] = outcome > deadline
                }
            }
        }
        try await notifySchool(
            .staffAccepted, school: school, roles: roles, values: values, applicationID: application.id, message,
            context)
    }

    func reminder(_ message: IncomingMessage<SENCOReminderDue>, _ context: HandlerContext) async throws {
        let event = message.payload
        let facts = event.facts
        var values = NotificationValues()
        values[text: "personName"] = facts.personName
        values[text: "status"] = Self.words(facts.status.rawValue)
        values[text: "deadline"] = facts.deadline.map(ReferenceNames.day)
        values[text: "alternativeDeadline"] = facts.alternativeDeadline.map(ReferenceNames.day)
        values[text: "nasencoDeadline"] = facts.nasencoDeadline.map(ReferenceNames.day)
        values[text: "expectedOutcome"] = facts.expectedOutcome.map(ReferenceNames.day)
        values[text: "recommendedCohort"] = facts.recommendedCohort.map(names.cohort)
        values[text: "lastSafeCohort"] = facts.lastSafeCohort.map(names.cohort)
        values[text: "cohort"] = facts.cohort.map(names.cohort)
        values[text: "registrationCloses"] = facts.registrationCloses.map(ReferenceNames.day)
        values[text: "dueOn"] = ReferenceNames.day(event.dueOn)
        // A reminder is once per reminder id (the SENCO service's own), however often it is announced.
        try await notifySchool(
            NotificationKind(reminder: event.kind), school: event.schoolURN, roles: event.recipients, values: values,
            applicationID: nil, cause: "reminder:\(event.reminderID.uuidString.lowercased())", message, context)
    }

    func deadlineTracked(_ message: IncomingMessage<SENCODeadlineTracked>, _ context: HandlerContext) async throws {
        try await NotificationsStore.saveSpell(message.payload.spell, in: context.database)
    }

    func statusChanged(_ message: IncomingMessage<SENCOStatusChanged>, _ context: HandlerContext) async throws {
        try await NotificationsStore.updateDeadline(
            spell: message.payload.spellID, deadline: message.payload.deadline, in: context.database)
    }

    func registerContacts(_ message: IncomingMessage<SchoolContactsRegister>, _ context: HandlerContext) async throws {
        let command = message.payload
        // Only the school itself (or its MIS vendor, or an operator) may say where its notices go: anyone else could
        // redirect another school's notices to themselves.
        guard schools.may(message.publisher, register: command.schoolURN) else {
            throw MessageRejection.unauthorized(
                "only the school's own broker user (npq-school-<urn>), a user NPQ_SCHOOL_USERS names for it, or an "
                    + "operator may register its contacts")
        }
        if let webhook = command.webhook {
            try WebhookSigner.check(webhook, allowLocal: allowHTTPWebhooks)
        }
        let user = message.publisher ?? "unknown"
        try await NotificationsStore.replaceContacts(command, by: user, at: context.now, in: context.database)
        let roles = ContactRole.allCases.filter { role in command.contacts.contains { $0.role == role } }
        let registered = SchoolContactsRegistered(
            schoolURN: command.schoolURN, roles: roles, contactCount: command.contacts.count,
            webhook: command.webhook != nil, registeredBy: user, registeredAt: context.now)
        context.publish(registered)
        context.reply(registered)
    }

    func log(_ message: IncomingMessage<NotificationLogGet>, _ context: HandlerContext) async throws {
        guard let publisher = message.publisher, readers.contains(publisher) else {
            throw MessageRejection.unauthorized("only operators (NPQ_NOTIFICATIONS_READERS) may read the delivery log")
        }
        let query = message.payload
        guard (query.schoolURN == nil) != (query.applicationID == nil) else {
            throw MessageRejection.field(
                "schoolURN", rule: "one_of", "give exactly one of schoolURN and applicationID")
        }
        let rows = try await NotificationsStore.log(
            school: query.schoolURN, application: query.applicationID, limit: 500, in: context.database)
        context.reply(
            NotificationLogResult(
                entries: rows.map { row in
                    NotificationLogEntry(
                        notificationID: row.id, kind: row.kind, channel: row.channel, recipient: row.recipient,
                        address: row.address, status: row.status, attempts: row.attempts, lastError: row.lastError,
                        schoolURN: row.schoolURN, applicationID: row.applicationID, createdAt: row.createdAt,
                        nextAttemptAt: row.status == .pending ? row.nextAttemptAt : nil, deliveredAt: row.deliveredAt)
                }))
    }

    // MARK: - Helpers

    /// The application an event names; one not seen yet (its `application.submitted` is still on its way) is
    /// retried, then parked.
    private func known(_ id: UUID, _ context: HandlerContext) async throws -> NotificationsStore.ApplicationRow {
        guard let application = try await NotificationsStore.application(id, in: context.database) else {
            throw NotKnownYet.application(id)
        }
        return application
    }

    private func applicantValues(_ application: NotificationsStore.ApplicationRow) -> NotificationValues {
        var values = NotificationValues()
        values[text: "name"] = application.fullName
        values[text: "course"] = application.course
        values[text: "courseName"] = names.course(application.course)
        values[text: "leadProvider"] = application.leadProvider
        values[text: "leadProviderName"] = names.provider(application.leadProvider)
        values[text: "cohort"] = application.cohort
        values[text: "cohortName"] = names.cohort(application.cohort)
        values[text: "applicationID"] = application.id.uuidString.lowercased()
        return values
    }

    private func notifyApplicant<M: MessageContract>(
        _ kind: NotificationKind, _ application: NotificationsStore.ApplicationRow, _ values: NotificationValues,
        _ message: IncomingMessage<M>, _ context: HandlerContext
    ) async throws {
        let cause = message.envelope.messageID
        let delivery = NotificationsStore.Delivery(
            id: Self.notificationID(cause: cause, recipient: "applicant:\(application.id)", kind), kind: kind,
            channel: .email, recipient: .applicant, address: application.email, displayName: application.fullName,
            schoolURN: nil, applicationID: application.id, causeID: cause, content: templates.render(kind, values))
        try await NotificationsStore.enqueue(delivery, at: context.now, in: context.database)
    }

    /// One email per contact of `roles` at `school`, and one webhook call if the school registered one. A role with
    /// no contact, at a school without a webhook, is recorded as a failed notification (and published), so that an
    /// operator sees a notice that reached nobody.
    private func notifySchool<M: MessageContract>(
        _ kind: NotificationKind, school: String, roles: [ContactRole], values: NotificationValues,
        applicationID: UUID?, cause: String? = nil, _ message: IncomingMessage<M>, _ context: HandlerContext
    ) async throws {
        let cause = cause ?? message.envelope.messageID
        let database = context.database
        var values = values
        values[text: "schoolURN"] = school
        values[text: "schoolName"] =
            try await SchoolRegisterCopy.school(urn: school, in: database)?.name ?? "your school"
        let contacts = try await NotificationsStore.contacts(school: school, roles: roles, in: database)
        let webhook = try await NotificationsStore.webhook(school: school, in: database)
        for contact in contacts {
            values[text: "recipientName"] = contact.name ?? Self.title(contact.role)
            let recipient = NotificationRecipient(role: contact.role)
            try await NotificationsStore.enqueue(
                NotificationsStore.Delivery(
                    id: Self.notificationID(
                        cause: cause, recipient: "\(recipient.rawValue):\(contact.email.lowercased())", kind),
                    kind: kind, channel: .email, recipient: recipient, address: contact.email,
                    displayName: contact.name, schoolURN: school, applicationID: applicationID, causeID: cause,
                    content: templates.render(kind, values)),
                at: context.now, in: database)
        }
        if let webhook {
            values[text: "recipientName"] = "School"
            let id = Self.notificationID(cause: cause, recipient: "webhook:\(school)", kind)
            let content = templates.render(kind, values)
            let payload = WebhookSigner.payload(
                id: id, kind: kind, school: school, applicationID: applicationID, subject: content.subject,
                values: values, at: context.now)
            try await NotificationsStore.enqueue(
                NotificationsStore.Delivery(
                    id: id, kind: kind, channel: .webhook, recipient: .webhook, address: webhook.url, displayName: nil,
                    schoolURN: school, applicationID: applicationID, causeID: cause, content: content, payload: payload),
                at: context.now, in: database)
        } else {
            for role in roles where !contacts.contains(where: { $0.role == role }) {
                let recipient = NotificationRecipient(role: role)
                let id = Self.notificationID(cause: cause, recipient: "\(recipient.rawValue):none", kind)
                let reason = "the school has registered no \(role.rawValue) contact and no webhook"
                values[text: "recipientName"] = Self.title(role)
                let new = try await NotificationsStore.enqueue(
                    NotificationsStore.Delivery(
                        id: id, kind: kind, channel: .email, recipient: recipient, address: "-", displayName: nil,
                        schoolURN: school, applicationID: applicationID, causeID: cause,
                        content: templates.render(kind, values), status: .failed, lastError: reason),
                    at: context.now, in: database)
                if new {
                    context.logger.warning(
                        "a school notice has no recipient",
                        metadata: ["school": "\(school)", "role": "\(role.rawValue)", "kind": "\(kind.rawValue)"])
                    context.publish(
                        NotificationFailed(
                            notificationID: id, kind: kind, channel: .email, recipient: recipient, schoolURN: school,
                            applicationID: applicationID, causeID: cause, attempts: 0, reason: reason, permanent: true,
                            failedAt: context.now))
                }
            }
        }
    }

    /// The notification's id: the same cause, recipient and kind always give the same id, so a redelivered or
    /// replayed event is recognised and sends nothing new.
    static func notificationID(cause: String, recipient: String, _ kind: NotificationKind) -> UUID {
        UUID(
            uuidString: DerivedMessageID.make(from: "\(cause)|\(recipient)|\(kind.rawValue)", purpose: "notification"))!
    }

    static func title(_ role: ContactRole) -> String {
        switch role {
        case .head: "Headteacher"
        case .senco: "SENCO"
        case .sendGovernor: "SEND governor"
        case .chair: "Chair of governors"
        case .office: "School office"
        }
    }

    static func payer(_ choice: FundingChoice) -> String {
        switch choice {
        case .`self`: "yourself"
        case .school: "your school"
        case .trust: "your trust"
        case .employer: "your employer"
        case .another: "another organisation"
        }
    }

    /// `long-term-sickness` or `at_risk` as words: "long term sickness", "at risk".
    static func words(_ code: String) -> String {
        code.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }

}
