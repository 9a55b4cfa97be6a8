import ApplicationsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// The eligibility service's handlers.
struct EligibilityHandlers: Sendable {
    let reference: EligibilityService.Reference

    func received(_ message: IncomingMessage<ApplicationReceived>, _ context: HandlerContext) async throws {
        let event = message.payload
        let database = context.database
        if try await EligibilityStore.decision(event.applicationID, in: database) != nil {
            context.logger.info("application already assessed; not again")
            return
        }
        guard let fundingMode = reference.fundingModes[event.cohort] else {
            throw MessageRejection.field("cohort", rule: "known_cohort", "there is no cohort \(event.cohort)")
        }
        let personKey = event.applicant.email.lowercased()
        let previously = try await EligibilityStore.previouslyFunded(
            personKey: personKey, trn: event.applicant.trn, course: event.course, excluding: event.applicationID,
            in: database)
        let input = EligibilityInput(
            cohort: event.cohort, fundingMode: fundingMode, course: event.course, worksIn: event.workplace.worksIn,
            workSetting: event.workplace.workSetting ?? .other, institution: institution(event.workplace),
            kindOfNursery: event.workplace.kindOfNursery, employmentType: event.workplace.employmentType,
            ittProviderApproved: event.workplace.ittProviderApproved,
            referredByReturnToTeachingAdviser: event.workplace.referredByReturnToTeachingAdviser,
            headteacherStatus: event.workplace.headteacherStatus, previouslyFunded: previously)
        let decision: EligibilityDecision
        do {
            decision = try EligibilityRules.assess(input, policy: reference.policy, lists: reference.lists)
        } catch {
            throw MessageRejection.field(
                "workplace.\(error.field ?? "workSetting")", rule: "eligibility_input", error.message)
        }
        let outcome = FundingOutcome(
            status: decision.status, funded: decision.funded, reviewRequired: decision.reviewRequired,
            explanation: decision.explanation)
        try await EligibilityStore.save(
            EligibilityStore.Decision(
                applicationID: event.applicationID, personKey: personKey, trn: event.applicant.trn,
                course: event.course,
                cohort: event.cohort, outcome: outcome, policyVersion: decision.policyVersion),
            at: context.now, in: database)
        context.publish(
            EligibilityAssessed(
                applicationID: event.applicationID, cohort: event.cohort, course: event.course, outcome: outcome,
                policyVersion: decision.policyVersion, assessedAt: context.now))
    }

    /// The school the application names, as the register knows it (type and whether open), or as the applicant gave
    /// it when the register does not know it.
    private func institution(_ workplace: Workplace) -> EligibilityInstitution? {
        guard let given = workplace.institution else { return nil }
        if let urn = given.urn, let school = reference.schools.school(urn: urn) { return school.institution }
        if let ukprn = given.ukprn, let school = reference.schools.school(ukprn: ukprn) { return school.institution }
        return EligibilityInstitution(urn: given.urn, ukprn: given.ukprn, ofstedURN: given.ofstedURN)
    }

    /// A funded place of an eligible application makes the person previously funded for the course.
    func accepted(_ message: IncomingMessage<ApplicationAccepted>, _ context: HandlerContext) async throws {
        let event = message.payload
        guard event.fundedPlace != false,
            let decision = try await EligibilityStore.decision(event.applicationID, in: context.database),
            decision.outcome.funded
        else { return }
        try await EligibilityStore.recordFundedAcceptance(decision, at: context.now, in: context.database)
    }

    /// A rejection after acceptance takes the funded place away: the person is no longer previously funded by it.
    func rejected(_ message: IncomingMessage<ApplicationRejected>, _ context: HandlerContext) async throws {
        try await EligibilityStore.removeFundedAcceptance(message.payload.applicationID, in: context.database)
    }

    func override(_ message: IncomingMessage<EligibilityOverride>, _ context: HandlerContext) async throws {
        let command = message.payload
        guard var decision = try await EligibilityStore.decision(command.applicationID, in: context.database) else {
            throw MessageRejection.field(
                "applicationID", rule: "assessed_application",
                "application \(command.applicationID.uuidString.lowercased()) has not been assessed")
        }
        if command.status == .markedFundedByPolicy, reference.fundingModes[decision.cohort] == .zero {
            throw MessageRejection.field(
                "status", rule: "funded_cohort",
                "cohort \(decision.cohort) is unfunded: no application in it can be funded")
        }
        let user = message.publisher ?? "unknown"
        try await EligibilityStore.recordOverride(
            command.applicationID, status: command.status, reason: command.reason, by: user, at: context.now,
            in: context.database)
        decision.outcome = FundingOutcome(
            status: command.status, funded: command.status.isFunded, reviewRequired: false,
            explanation: command.status.isFunded
                ? "Your funding was confirmed by DfE's policy team: \(command.reason)"
                : "DfE's policy team decided this application cannot be funded: \(command.reason)")
        try await EligibilityStore.save(decision, at: context.now, in: context.database)
        context.publish(
            EligibilityAssessed(
                applicationID: decision.applicationID, cohort: decision.cohort, course: decision.course,
                outcome: decision.outcome, policyVersion: decision.policyVersion, assessedAt: context.now))
    }
}
