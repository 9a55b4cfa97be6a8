import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Applies definitions of cohorts, schedules and offerings — from a command or from the reference files, the same
/// way: check the rules against what is stored, save, log the change, and publish the event that reports it. A
/// definition identical to the stored one changes nothing and publishes nothing.
enum CohortDefinitions {
    /// Who made a change that came from the reference files rather than a command.
    static let referenceFile = "reference-file"

    /// Whether anything changed.
    enum Outcome: Equatable {
        case changed
        case unchanged
    }

    static func define(
        _ cohort: Cohort, by user: String, in context: some TransactionContext
    ) async throws(DefinitionError) -> Outcome {
        try await attempt {
            let database = context.database
            let existing = try await CohortsStore.cohort(cohort.identifier, in: database)
            if existing == cohort { return .unchanged }
            let accepted = try await CohortsStore.acceptedApplications(cohort: cohort.identifier, in: database)
            let schedules = try await CohortsStore.schedules(cohort: cohort.identifier, in: database)
            let violations = CohortRules.check(
                cohort, replacing: existing, acceptedApplications: accepted, schedules: schedules)
            guard violations.isEmpty else { throw DefinitionError.violations(violations) }
            try await CohortsStore.save(cohort, by: user, at: context.now, in: database)
            try await CohortsStore.logChange(
                kind: "cohort", entry: cohort.identifier, definition: try CohortsStore.encode(cohort), by: user,
                at: context.now, in: database)
            context.publish(CohortDefined(cohort: cohort.summary, definedBy: user, definedAt: context.now))
            return .changed
        }
    }

    static func define(
        _ schedule: Schedule, by user: String, in context: some TransactionContext
    ) async throws(DefinitionError) -> Outcome {
        try await attempt {
            let database = context.database
            let existing = try await CohortsStore.schedules(cohort: schedule.cohort, in: database)
                .first { $0.identifier == schedule.identifier }
            if existing == schedule { return .unchanged }
            let cohort = try await CohortsStore.cohort(schedule.cohort, in: database)
            let violations = CohortRules.check(schedule, cohort: cohort)
            guard violations.isEmpty else { throw DefinitionError.violations(violations) }
            try await CohortsStore.save(schedule, by: user, at: context.now, in: database)
            try await CohortsStore.logChange(
                kind: "schedule", entry: "\(schedule.cohort) \(schedule.identifier)",
                definition: try CohortsStore.encode(schedule), by: user, at: context.now, in: database)
            context.publish(ScheduleDefined(schedule: schedule.details, definedBy: user, definedAt: context.now))
            return .changed
        }
    }

    static func set(
        _ offering: Offering, by user: String, in context: some TransactionContext
    ) async throws(DefinitionError) -> Outcome {
        try await attempt {
            let database = context.database
            let existing = try await CohortsStore.offering(
                cohort: offering.cohort, course: offering.course, leadProvider: offering.leadProvider, in: database)
            if existing?.offering == offering { return .unchanged }
            let violations = CohortRules.check(
                offering, cohort: try await CohortsStore.cohort(offering.cohort, in: database),
                course: try await CohortsStore.course(offering.course, in: database),
                leadProvider: try await CohortsStore.leadProvider(offering.leadProvider, in: database))
            guard violations.isEmpty else { throw DefinitionError.violations(violations) }
            try await CohortsStore.save(offering, by: user, at: context.now, in: database)
            try await CohortsStore.logChange(
                kind: "offering", entry: "\(offering.cohort) \(offering.course) \(offering.leadProvider)",
                definition: try CohortsStore.encode(offering), by: user, at: context.now, in: database)
            let details = offering.details(acceptedApplications: existing?.accepted ?? 0)
            context.publish(CohortOfferingUpdated(offering: details, updatedBy: user, updatedAt: context.now))
            return .changed
        }
    }

    /// Runs `body`, keeping rule violations apart from storage failures (which are worth retrying).
    private static func attempt(_ body: () async throws -> Outcome) async throws(DefinitionError) -> Outcome {
        do {
            return try await body()
        } catch let error as DefinitionError {
            throw error
        } catch {
            throw DefinitionError.storage(error)
        }
    }
}
