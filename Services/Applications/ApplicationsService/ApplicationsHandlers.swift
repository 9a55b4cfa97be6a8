import ApplicationsDomain
import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import SchoolRegisterCopy
import ServiceRuntime

/// The applications service's handlers: load, decide with the state machines, store, publish.
struct ApplicationsHandlers: Sendable {
    let providers: LeadProviderUsers
    /// Broker users that may read every application (operators); a lead provider reads only its own.
    let readers: Set<String>
    /// Broker users that may run operators' commands (expiry).
    let operators: Set<String>
    /// The funding policy, to check at submission that the rules can decide the answers given.
    let policy: EligibilityPolicy

    func today(_ context: HandlerContext) -> CalendarDate { UKCalendar.date(at: context.now) }

    // MARK: - Submission and funding

    func submit(_ message: IncomingMessage<ApplicationSubmit>, _ context: HandlerContext) async throws {
        let submit = message.payload
        let database = context.database
        let reference = SubmissionCheck.Reference(
            course: try await ApplicationsStore.course(submit.course, in: database),
            cohort: try await ApplicationsStore.cohort(submit.cohort, in: database),
            offered: try await ApplicationsStore.isOffered(
                cohort: submit.cohort, course: submit.course, leadProvider: submit.leadProvider, in: database))
        var errors = SubmissionCheck.problems(submit, reference: reference, on: today(context))
        // The schools register: a URN an application names must be in it, and open.
        let schools = try await SchoolRegisterCopy.register(for: submit.workplace.institution, in: database)
        let school = submit.workplace.institution?.urn.flatMap { schools.school(urn: $0) }
        if let urn = submit.workplace.institution?.urn {
            if let school {
                if !school.status.isOpen {
                    errors.append(
                        FieldError(
                            field: "workplace.institution.urn", rule: "open_school",
                            message: "the school with URN \(urn) is closed"))
                }
            } else {
                errors.append(
                    FieldError(
                        field: "workplace.institution.urn", rule: "known_school",
                        message: "URN \(urn) is not in the schools register"))
            }
        }
        // The answers the funding rules need must be complete here, or the application would wait for a decision
        // that cannot be made; the rules' own check is run, with no lists (membership changes outcomes, not inputs).
        if errors.isEmpty, let cohort = reference.cohort {
            let input = EligibilityInput(
                cohort: submit.cohort, fundingMode: cohort.fundingMode, course: submit.course,
                workplace: submit.workplace, register: schools, previouslyFunded: false)
            do {
                _ = try EligibilityRules.assess(input, policy: policy, lists: EligibilityLists())
            } catch {
                let field = error.field ?? "workSetting"
                errors.append(
                    FieldError(
                        field: ["cohort", "course"].contains(field) ? field : "workplace.\(field)",
                        rule: "eligibility_input", message: error.message))
            }
        }
        guard errors.isEmpty else {
            throw MessageRejection(
                .invalidFields, detail: errors.map(\.message).joined(separator: "; "), fieldErrors: errors)
        }
        // The id follows from the message, so that the same submission redelivered can only ever be one application.
        let id = UUID(uuidString: DerivedMessageID.make(from: message.envelope.messageID, purpose: "application id"))!
        let application = Application(
            id: id, personKey: submit.applicant.email.lowercased(), trn: submit.applicant.trn, course: submit.course,
            leadProvider: submit.leadProvider, cohort: submit.cohort, eligibleForFunding: false,
            submittedBy: message.publisher ?? "unknown", at: context.now)
        try await ApplicationsStore.insert(
            ApplicationsStore.Record(application: application, submission: submit, funding: nil), at: context.now,
            in: database)
        let received = ApplicationReceived(
            applicationID: id, applicant: submit.applicant, course: submit.course, leadProvider: submit.leadProvider,
            cohort: submit.cohort, workplace: submit.workplace, establishmentTypeCode: school?.establishmentTypeCode,
            receivedAt: context.now)
        context.publish(received)
        context.reply(received)
    }

    /// The funding decision: kept with the application, which is then announced as submitted (once). A later
    /// decision (an operator's override) that changes the outcome goes into the history and is announced as
    /// `application.funding.changed`; one older than the decision kept (delivered late) is ignored.
    func eligibilityAssessed(_ message: IncomingMessage<EligibilityAssessed>, _ context: HandlerContext) async throws {
        let event = message.payload
        let database = context.database
        guard var record = try await ApplicationsStore.record(event.applicationID, in: database) else {
            throw NotKnownYet.application(event.applicationID)
        }
        if let kept = record.fundingAssessedAt, event.assessedAt < kept {
            context.logger.info("an older funding decision arrived late; the newer one is kept")
            return
        }
        let previous = record.funding
        record.funding = event.outcome
        record.fundingAssessedAt = event.assessedAt
        guard let previous else {
            record.application.eligibleForFunding = event.outcome.funded
            try await ApplicationsStore.update(record, at: context.now, in: database)
            // Rejected before its funding was decided (the person's other application was accepted, or the cohort
            // expired): announcing it as submitted now would come after its rejection.
            guard record.application.approval == .pending else {
                context.logger.info("funding decided after the application was closed; not announced as submitted")
                return
            }
            let submit = record.submission
            context.publish(
                ApplicationSubmitted(
                    applicationID: record.application.id, course: submit.course, leadProvider: submit.leadProvider,
                    cohort: submit.cohort, applicant: submit.applicant, schoolURN: submit.workplace.institution?.urn,
                    sencoInRole: submit.sencoInRole, sencoStartDate: submit.sencoStartDate, submittedAt: context.now,
                    funding: event.outcome, fundingChoice: submit.fundingChoice))
            return
        }
        guard previous.status != event.outcome.status || previous.funded != event.outcome.funded else {
            try await ApplicationsStore.update(record, at: context.now, in: database)
            return
        }
        // applications.md: a funded place needs an application eligible for funding. An override that crossed the
        // provider's acceptance with a funded place is refused here, where the place is known, and reported.
        if !event.outcome.funded, record.application.approval == .accepted, record.application.fundedPlace == true {
            throw MessageRejection(
                .ruleViolation,
                detail: "the application was accepted with a funded place before this decision; the provider must "
                    + "reject it (or the decision be overridden again) before it can be unfunded",
                fieldErrors: [
                    FieldError(
                        field: "outcome.funded", rule: "funded_place_held",
                        message: "the application holds a funded place")
                ])
        }
        let by = event.overriddenBy ?? "npq-eligibility"
        record.application.changeFunding(
            from: previous.status, to: event.outcome.status, funded: event.outcome.funded, by: by,
            reason: event.overrideReason, at: context.now)
        try await ApplicationsStore.update(record, at: context.now, in: database)
        let a = record.application
        context.publish(
            ApplicationFundingChanged(
                applicationID: a.id, course: a.course, leadProvider: a.leadProvider, cohort: a.cohort,
                applicant: record.submission.applicant, previous: previous, funding: event.outcome,
                changedBy: event.overriddenBy, reason: event.overrideReason, changedAt: context.now))
    }

    // MARK: - Expressions of interest

    /// Records that someone wants to hear when a course opens; the same email and course again changes nothing.
    func registerInterest(_ message: IncomingMessage<InterestRegister>, _ context: HandlerContext) async throws {
        let command = message.payload
        let database = context.database
        var errors: [FieldError] = []
        switch try await ApplicationsStore.course(command.course, in: database) {
        case nil:
            errors.append(
                FieldError(field: "course", rule: "known_course", message: "there is no course \(command.course)"))
        case .some(let course) where course.hidden:
            errors.append(
                FieldError(
                    field: "course", rule: "visible_course", message: "\(command.course) is not open to registration"))
        default: break
        }
        if let provider = command.leadProvider, !(try await ApplicationsStore.isKnownProvider(provider, in: database)) {
            errors.append(
                FieldError(
                    field: "leadProvider", rule: "known_lead_provider", message: "there is no lead provider \(provider)"
                ))
        }
        guard errors.isEmpty else {
            throw MessageRejection(
                .invalidFields, detail: errors.map(\.message).joined(separator: "; "), fieldErrors: errors)
        }
        let existing = try await ApplicationsStore.interest(email: command.email, course: command.course, in: database)
        let interest =
            existing
            ?? ApplicationsStore.Interest(
                id: UUID(uuidString: DerivedMessageID.make(from: message.envelope.messageID, purpose: "interest id"))!,
                fullName: command.fullName, email: command.email, course: command.course,
                leadProvider: command.leadProvider, registeredAt: context.now)
        if existing == nil {
            try await ApplicationsStore.insertInterest(interest, by: message.publisher ?? "unknown", in: database)
        }
        let registered = InterestRegistered(
            interestID: interest.id, course: interest.course, leadProvider: interest.leadProvider,
            alreadyRegistered: existing != nil,
            openCohorts: try await ApplicationsStore.openCohorts(
                offering: command.course, on: today(context), in: database),
            registeredAt: interest.registeredAt)
        context.publish(registered)
        context.reply(registered)
    }

    /// A cohort opened: everyone interested in a course it offers is told, once per cohort.
    func registrationOpened(
        _ message: IncomingMessage<CohortRegistrationOpened>, _ context: HandlerContext
    ) async throws {
        let event = message.payload
        var providers: [String: [String]] = [:]
        for offering in event.offerings where offering.offered {
            providers[offering.course, default: []].append(offering.leadProvider)
        }
        let interests = try await ApplicationsStore.interestsToTell(
            courses: providers.keys.sorted(), cohort: event.cohort.cohort, in: context.database)
        for interest in interests {
            context.publish(
                InterestRegistrationOpened(
                    interestID: interest.id, fullName: interest.fullName, email: interest.email,
                    course: interest.course, cohort: event.cohort.cohort,
                    leadProviders: (providers[interest.course] ?? []).sorted(),
                    registrationCloses: event.cohort.registrationCloses, openedAt: event.openedAt))
        }
        try await ApplicationsStore.markTold(
            interests.map(\.id), cohort: event.cohort.cohort, at: context.now, in: context.database)
        context.logger.info(
            "people who registered interest told of the opening",
            metadata: ["cohort": "\(event.cohort.cohort)", "count": "\(interests.count)"])
    }

    // MARK: - Registration expiry

    /// Rejects, as `registration_expired`, every pending application of a cohort whose registration has closed.
    func expire(_ message: IncomingMessage<ApplicationExpire>, _ context: HandlerContext) async throws {
        guard let publisher = message.publisher, operators.contains(publisher) else {
            throw MessageRejection.unauthorized("only operators (NPQ_OPERATOR_USERS) may expire applications")
        }
        let identifier = message.payload.cohort
        guard let cohort = try await ApplicationsStore.cohort(identifier, in: context.database) else {
            throw MessageRejection.field("cohort", rule: "known_cohort", "there is no cohort \(identifier)")
        }
        guard cohort.registrationCloses < today(context) else {
            throw MessageRejection.field(
                "cohort", rule: "registration_closed",
                "registration for \(identifier) closes on \(cohort.registrationCloses); its applications can be expired from the day after"
            )
        }
        var expired = 0
        for var record in try await ApplicationsStore.pending(cohort: identifier, in: context.database) {
            guard !record.application.rejectAutomatically(.registrationExpired, at: context.now).isEmpty else {
                continue
            }
            try await ApplicationsStore.update(record, at: context.now, in: context.database)
            publishRejected(record.application, cause: .registrationExpired, reason: nil, context)
            expired += 1
        }
        let completed = ApplicationExpiryCompleted(cohort: identifier, expired: expired, completedAt: context.now)
        context.publish(completed)
        context.reply(completed)
    }

    // MARK: - The lead provider's decisions

    func accept(_ message: IncomingMessage<ApplicationAccept>, _ context: HandlerContext) async throws {
        let command = message.payload
        let database = context.database
        var record = try await load(command.applicationID, context)
        // Who may act comes first: another provider learns nothing about the application's state.
        guard providers.provider(for: message.publisher) == record.application.leadProvider else {
            throw MessageRejection.unauthorized("only the lead provider the application names may act on it")
        }
        guard let cohort = try await ApplicationsStore.cohort(record.application.cohort, in: database) else {
            throw MessageRejection.field(
                "applicationID", rule: "known_cohort",
                "the application's cohort \(record.application.cohort) is unknown")
        }
        // Accepting decides the funded place, which needs the funding decision.
        if record.funding == nil {
            throw MessageRejection.field(
                "applicationID", rule: "funding_decided",
                "the application's funding is not decided yet; accept it once application.submitted has been published")
        }
        let others = try await ApplicationsStore.samePersonCourseAndCohort(as: record.application, in: database)
        let schedules = try await ApplicationsStore.schedules(cohort: record.application.cohort, in: database)
        let group = try await ApplicationsStore.course(record.application.course, in: database)?.group
        let events = try decide {
            try record.application.accept(
                provider: providers.provider(for: message.publisher), by: message.publisher ?? "unknown",
                fundedPlace: command.fundedPlace, schedule: command.schedule, fundingMode: cohort.fundingMode,
                others: others, schedules: schedules, courseGroup: group, at: context.now)
        }
        try await ApplicationsStore.update(record, at: context.now, in: database)
        let application = record.application
        context.publish(
            ApplicationAccepted(
                applicationID: application.id, course: application.course, leadProvider: application.leadProvider,
                cohort: application.cohort, schedule: application.schedule, fundedPlace: application.fundedPlace,
                trn: application.trn, acceptedAt: context.now))
        for case .otherApplicationToReject(let id) in events {
            guard var other = try await ApplicationsStore.record(id, in: database) else { continue }
            guard !other.application.rejectAutomatically(.otherApplicationInThisCohortAccepted, at: context.now).isEmpty
            else { continue }
            try await ApplicationsStore.update(other, at: context.now, in: database)
            publishRejected(other.application, cause: .otherApplicationInThisCohortAccepted, reason: nil, context)
        }
    }

    /// Who sent a provider's command — the provider the broker-validated user maps to, and the user for the history —
    /// and, when the step asked for them, the same person's applications for the same course and cohort.
    struct Actor {
        var provider: String?
        var user: String
        var others: [Application] = []
    }

    /// Loads the application a provider's command names, applies `change` (a step of the state machines, refused
    /// with its rule), stores it and returns it, for the caller to publish what happened.
    private func transition<M>(
        _ id: UUID, _ message: IncomingMessage<M>, _ context: HandlerContext, withOthers: Bool = false,
        _ change: (inout Application, Actor) throws -> [ApplicationEvent]
    ) async throws -> Application {
        var record = try await load(id, context)
        var actor = Actor(provider: providers.provider(for: message.publisher), user: message.publisher ?? "unknown")
        if withOthers {
            actor.others = try await ApplicationsStore.samePersonCourseAndCohort(
                as: record.application, in: context.database)
        }
        _ = try decide { try change(&record.application, actor) }
        try await ApplicationsStore.update(record, at: context.now, in: context.database)
        return record.application
    }

    func reject(_ message: IncomingMessage<ApplicationReject>, _ context: HandlerContext) async throws {
        let reason = message.payload.reason
        let a = try await transition(message.payload.applicationID, message, context) { application, actor in
            try application.reject(provider: actor.provider, by: actor.user, reason: reason, at: context.now)
        }
        publishRejected(a, cause: .rejectedByProvider, reason: reason, context)
    }

    func deferTraining(_ message: IncomingMessage<ApplicationDefer>, _ context: HandlerContext) async throws {
        let reason = message.payload.reason
        let a = try await transition(message.payload.applicationID, message, context) { application, actor in
            try application.deferTraining(provider: actor.provider, by: actor.user, reason: reason, at: context.now)
        }
        context.publish(
            ParticipantDeferred(
                applicationID: a.id, course: a.course, leadProvider: a.leadProvider, cohort: a.cohort, reason: reason,
                deferredAt: context.now))
    }

    func resume(_ message: IncomingMessage<ApplicationResume>, _ context: HandlerContext) async throws {
        // Resuming must not make a second active place (see Application.resume).
        let a = try await transition(message.payload.applicationID, message, context, withOthers: true) {
            application, actor in
            try application.resume(provider: actor.provider, by: actor.user, others: actor.others, at: context.now)
        }
        context.publish(
            ParticipantResumed(
                applicationID: a.id, course: a.course, leadProvider: a.leadProvider, cohort: a.cohort,
                resumedAt: context.now))
    }

    func withdraw(_ message: IncomingMessage<ApplicationWithdraw>, _ context: HandlerContext) async throws {
        let reason = message.payload.reason
        let a = try await transition(message.payload.applicationID, message, context) { application, actor in
            try application.withdraw(provider: actor.provider, by: actor.user, reason: reason, at: context.now)
        }
        context.publish(
            ParticipantWithdrawn(
                applicationID: a.id, course: a.course, leadProvider: a.leadProvider, cohort: a.cohort, reason: reason,
                withdrawnAt: context.now))
    }

    func recordOutcome(_ message: IncomingMessage<ApplicationOutcomeRecord>, _ context: HandlerContext) async throws {
        let command = message.payload
        let a = try await transition(command.applicationID, message, context) { application, actor in
            try application.recordOutcome(
                provider: actor.provider, by: actor.user, outcome: command.outcome, completedOn: command.completedOn,
                at: context.now)
        }
        context.publish(
            ParticipantOutcomeRecorded(
                applicationID: a.id, course: a.course, leadProvider: a.leadProvider, outcome: command.outcome.rawValue,
                completedOn: command.completedOn, trn: a.trn, recordedAt: context.now))
    }

    // MARK: - Queries

    /// Who may see what: a provider its own applications, a reader every one, anyone else nothing.
    private func scope(_ publisher: String?) throws -> String? {
        if let provider = providers.provider(for: publisher) { return provider }
        guard let publisher, readers.contains(publisher) else {
            throw MessageRejection.unauthorized("only lead providers and operators may read applications")
        }
        return nil
    }

    func get(_ message: IncomingMessage<ApplicationGet>, _ context: HandlerContext) async throws {
        let provider = try scope(message.publisher)
        // Another provider's application is answered as unknown: its existence is not the asker's business.
        guard let record = try await ApplicationsStore.record(message.payload.applicationID, in: context.database),
            provider == nil || record.application.leadProvider == provider
        else {
            throw MessageRejection.field(
                "applicationID", rule: "known_application",
                "there is no application \(message.payload.applicationID.uuidString.lowercased())")
        }
        context.reply(ApplicationGetResult(application: Self.view(record)))
    }

    func list(_ message: IncomingMessage<ApplicationList>, _ context: HandlerContext) async throws {
        let provider = try scope(message.publisher)
        let query = message.payload
        let size = query.pageSize ?? 100
        var cursor: (String, String)?
        if let text = query.cursor {
            let parts = text.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, RFC3339.parse(parts[0]) != nil, UUID(uuidString: parts[1]) != nil else {
                throw MessageRejection.field("cursor", rule: "cursor", "cursor is not one this service gave out")
            }
            cursor = (parts[0], parts[1])
        }
        let records = try await ApplicationsStore.page(
            provider: provider, cohort: query.cohort, updatedSince: query.updatedSince, after: cursor, limit: size + 1,
            in: context.database)
        let page = records.prefix(size)
        let next =
            records.count > size
            ? page.last.map { "\($0.updatedAt)|\($0.application.id.uuidString.lowercased())" } : nil
        context.reply(ApplicationListResult(applications: page.map(Self.view), nextCursor: next))
    }

    static func view(_ record: ApplicationsStore.Record) -> ApplicationView {
        let a = record.application
        return ApplicationView(
            applicationID: a.id, course: a.course, leadProvider: a.leadProvider, cohort: a.cohort,
            applicant: record.submission.applicant, workplace: record.submission.workplace, funding: record.funding,
            approval: a.approval.rawValue, training: a.training?.rawValue, schedule: a.schedule,
            fundedPlace: a.fundedPlace, outcome: a.outcome, outcomeOn: a.outcomeOn,
            history: a.history.map { .init(action: $0.action, by: $0.by, at: $0.at, reason: $0.reason) },
            updatedAt: RFC3339.parse(record.updatedAt) ?? a.history.last?.at ?? Date(timeIntervalSince1970: 0))
    }

    // MARK: - The cohort reference data

    func cohortDefined(_ message: IncomingMessage<CohortDefined>, _ context: HandlerContext) async throws {
        let cohort = message.payload.cohort
        try await ApplicationsStore.saveCohort(
            cohort.cohort, fundingMode: cohort.fundingMode, opens: cohort.registrationOpens,
            closes: cohort.registrationCloses, definedAt: message.payload.definedAt, in: context.database)
    }

    /// The schedule the cohorts service gave an accepted application (the named one, or the default it chose).
    func participantScheduled(
        _ message: IncomingMessage<ParticipantScheduled>, _ context: HandlerContext
    ) async throws {
        let event = message.payload
        guard var record = try await ApplicationsStore.record(event.applicationID, in: context.database) else {
            throw NotKnownYet.application(event.applicationID)
        }
        guard record.application.schedule != event.schedule else { return }
        record.application.schedule = event.schedule
        try await ApplicationsStore.update(record, at: context.now, in: context.database)
    }

    func offeringUpdated(_ message: IncomingMessage<CohortOfferingUpdated>, _ context: HandlerContext) async throws {
        let offering = message.payload.offering
        try await ApplicationsStore.saveOffering(
            cohort: offering.cohort, course: offering.course, leadProvider: offering.leadProvider,
            offered: offering.offered, in: context.database)
    }

    func scheduleDefined(_ message: IncomingMessage<ScheduleDefined>, _ context: HandlerContext) async throws {
        let schedule = message.payload.schedule
        try await ApplicationsStore.saveSchedule(
            cohort: schedule.cohort, schedule: schedule.schedule, group: schedule.courseGroup, in: context.database)
    }

    // MARK: - Helpers

    /// The application a provider's command names; an unknown id is refused naming the field.
    private func load(_ id: UUID, _ context: HandlerContext) async throws -> ApplicationsStore.Record {
        guard let record = try await ApplicationsStore.record(id, in: context.database) else {
            throw MessageRejection.field(
                "applicationID", rule: "known_application", "there is no application \(id.uuidString.lowercased())")
        }
        return record
    }

    /// Runs a state-machine step, turning its violation into the refusal the publisher is told of.
    private func decide(_ step: () throws -> [ApplicationEvent]) throws -> [ApplicationEvent] {
        do {
            return try step()
        } catch let violation as ApplicationViolation {
            switch violation.kind {
            case .unauthorized: throw MessageRejection.unauthorized(violation.message)
            case .rule:
                throw MessageRejection(
                    .ruleViolation, detail: violation.message,
                    fieldErrors: [FieldError(field: violation.field, rule: violation.rule, message: violation.message)])
            }
        }
    }

    private func publishRejected(
        _ application: Application, cause: RejectionCause, reason: String?, _ context: HandlerContext
    ) {
        context.publish(
            ApplicationRejected(
                applicationID: application.id, course: application.course, leadProvider: application.leadProvider,
                cohort: application.cohort, cause: cause, reason: reason, rejectedAt: context.now))
    }

}
