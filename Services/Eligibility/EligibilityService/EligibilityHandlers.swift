import ApplicationsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// The eligibility service's handlers.
struct EligibilityHandlers: Sendable {
    let reference: EligibilityService.Reference
    /// Broker users that may override decisions and import lists.
    let operators: Set<String>

    func received(_ message: IncomingMessage<ApplicationReceived>, _ context: HandlerContext) async throws {
        let event = message.payload
        let database = context.database
        if try await EligibilityStore.decision(event.applicationID, in: database) != nil {
            context.logger.info("application already assessed; not again")
            return
        }
        // The applications service checked the cohort against the same events; not knowing it yet means its
        // cohort.defined is still on its way, so this is retried rather than refused.
        guard let fundingMode = try await EligibilityListStore.fundingMode(event.cohort, in: database) else {
            throw NotKnownYet("cohort \(event.cohort)")
        }
        let personKey = event.applicant.email.lowercased()
        let previously = try await EligibilityStore.previouslyFunded(
            personKey: personKey, trn: event.applicant.trn, course: event.course, excluding: event.applicationID,
            in: database)
        let input = EligibilityInput(
            cohort: event.cohort, fundingMode: fundingMode, course: event.course, workplace: event.workplace,
            register: try await SchoolRegisterStore.register(for: event.workplace.institution, in: database),
            establishmentTypeCode: event.establishmentTypeCode,
            previouslyFunded: previously)
        let (lists, versions) = try await EligibilityListStore.lists(for: input.institution, in: database)
        let outcome: FundingOutcome
        let policyVersion: String
        do {
            let decision = try EligibilityRules.assess(input, policy: reference.policy, lists: lists)
            outcome = FundingOutcome(
                status: decision.status, funded: decision.funded, reviewRequired: decision.reviewRequired,
                explanation: decision.explanation)
            policyVersion = decision.policyVersion
        } catch {
            // The applications service checks these answers at submission, so this is a gap between the two (a
            // policy without the cohort, a register changed in between): the application still gets a decision,
            // one a person makes, instead of waiting for ever.
            context.logger.warning(
                "answers could not be assessed by the rules; the application is left for review",
                metadata: ["field": "\(error.field ?? "-")"])
            outcome = FundingOutcome(
                status: .subjectToReview, funded: false, reviewRequired: true,
                explanation:
                    "We could not decide your funding automatically (\(error.message)). DfE will review your "
                    + "application and tell you the outcome.")
            policyVersion = reference.policy.version(forCohort: event.cohort)?.version ?? "none"
        }
        try await EligibilityStore.save(
            EligibilityStore.Decision(
                applicationID: event.applicationID, personKey: personKey, trn: event.applicant.trn,
                course: event.course, cohort: event.cohort, outcome: outcome, policyVersion: policyVersion,
                listVersions: versions, workSetting: event.workplace.workSetting),
            at: context.now, in: database)
        context.publish(
            EligibilityAssessed(
                applicationID: event.applicationID, cohort: event.cohort, course: event.course, outcome: outcome,
                policyVersion: policyVersion, assessedAt: context.now))
    }

    /// A funded place of a funded application makes the person previously funded for the course.
    func accepted(_ message: IncomingMessage<ApplicationAccepted>, _ context: HandlerContext) async throws {
        let event = message.payload
        guard event.fundedPlace != false,
            let decision = try await EligibilityStore.decision(event.applicationID, in: context.database),
            decision.outcome.funded,
            // A rejection that overtook the acceptance (through a retry) has already taken the place away for good.
            !(try await EligibilityStore.wasRejected(event.applicationID, in: context.database))
        else { return }
        try await EligibilityStore.recordFundedAcceptance(decision, at: context.now, in: context.database)
    }

    /// A rejection after acceptance takes the funded place away: the person is no longer previously funded by it.
    func rejected(_ message: IncomingMessage<ApplicationRejected>, _ context: HandlerContext) async throws {
        try await EligibilityStore.removeFundedAcceptance(message.payload.applicationID, in: context.database)
        try await EligibilityStore.recordRejection(message.payload.applicationID, in: context.database)
    }

    func override(_ message: IncomingMessage<EligibilityOverride>, _ context: HandlerContext) async throws {
        let command = message.payload
        let user = try requireOperator(message.publisher, to: "override funding decisions")
        guard var decision = try await EligibilityStore.decision(command.applicationID, in: context.database) else {
            throw MessageRejection.field(
                "applicationID", rule: "assessed_application",
                "application \(command.applicationID.uuidString.lowercased()) has not been assessed")
        }
        if command.status == .markedFundedByPolicy,
            try await EligibilityListStore.fundingMode(decision.cohort, in: context.database) == .zero
        {
            throw MessageRejection.field(
                "status", rule: "funded_cohort",
                "cohort \(decision.cohort) is unfunded: no application in it can be funded")
        }
        // applications.md: a funded place needs a funded application, so one accepted with a funded place cannot be
        // made ineligible underneath it; the provider rejects it first (which frees the place).
        if command.status == .markedIneligibleByPolicy,
            try await EligibilityStore.hasFundedAcceptance(command.applicationID, in: context.database)
        {
            throw MessageRejection.field(
                "status", rule: "funded_place_held",
                "the application was accepted with a funded place; it cannot be marked ineligible while it holds one")
        }
        try await EligibilityStore.recordOverride(
            command.applicationID, status: command.status, reason: command.reason, by: user, at: context.now,
            in: context.database)
        decision.outcome = FundingOutcome(
            status: command.status, funded: command.status.isFunded, reviewRequired: false,
            explanation: command.status.isFunded
                ? "Your funding was confirmed by DfE's policy team: \(command.reason)"
                : "DfE's policy team decided this application cannot be funded: \(command.reason). "
                    + EligibilityExplanation.payersSentence(decision.payers))
        try await EligibilityStore.save(decision, at: context.now, in: context.database)
        let assessed = EligibilityAssessed(
            applicationID: decision.applicationID, cohort: decision.cohort, course: decision.course,
            outcome: decision.outcome, policyVersion: decision.policyVersion, assessedAt: context.now,
            overriddenBy: user, overrideReason: command.reason)
        context.publish(assessed)
        context.reply(assessed)
    }

    /// Replaces a reference list as a whole; a bad file is refused naming the line and column, and changes nothing.
    func importList(_ message: IncomingMessage<EligibilityListImport>, _ context: HandlerContext) async throws {
        let command = message.payload
        let user = try requireOperator(message.publisher, to: "import reference lists")
        guard let kind = ReferenceListKind(rawValue: command.list.rawValue) else {
            throw MessageRejection.field("list", rule: "known_list", "there is no list \(command.list.rawValue)")
        }
        let data = Data(command.csv.utf8)
        let list: ReferenceList
        do {
            list = try ReferenceList.parse(data, kind: kind, file: command.fileName ?? "csv")
        } catch {
            let rule = error.line == nil || error.field == nil ? "list_column" : "list_identifier"
            let place = [error.line.map { "line \($0)" }, error.field].compactMap { $0 }.joined(separator: ", ")
            let text = place.isEmpty ? error.message : "\(place): \(error.message)"
            throw MessageRejection(
                .invalidFields, detail: text, fieldErrors: [FieldError(field: "csv", rule: rule, message: text)])
        }
        guard list.count > 0 else {
            throw MessageRejection.field(
                "csv", rule: "list_not_empty",
                "the file has the column \"\(kind.header)\" but no identifiers; a list is replaced as a whole, so an "
                    + "empty file would empty it")
        }
        let imported = try await EligibilityListStore.replace(
            list, sha256: EligibilityListStore.sha256(data), fileName: command.fileName, by: user, at: context.now,
            in: context.database)
        context.logger.info(
            "reference list imported",
            metadata: ["list": "\(kind.rawValue)", "version": "\(imported.version)", "count": "\(imported.count)"])
        context.publish(imported)
        context.reply(imported)
    }

    func cohortDefined(_ message: IncomingMessage<CohortDefined>, _ context: HandlerContext) async throws {
        let event = message.payload
        try await EligibilityListStore.saveCohort(
            event.cohort.cohort, fundingMode: event.cohort.fundingMode, definedAt: event.definedAt,
            in: context.database)
    }

    /// The broker-validated user, when it is an operator's; anyone else is refused.
    func requireOperator(_ publisher: String?, to action: String) throws -> String {
        guard let publisher, operators.contains(publisher) else {
            throw MessageRejection.unauthorized("only operators (NPQ_OPERATOR_USERS) may \(action)")
        }
        return publisher
    }

}
