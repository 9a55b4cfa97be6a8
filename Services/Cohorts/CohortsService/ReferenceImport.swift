import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Loads the reference files at start and applies the entries that changed since they were last imported.
///
/// An entry is applied when the file's version of it differs from the one imported last time — not when it merely
/// differs from what is stored — so a change made since by command survives a restart, and editing the entry in the
/// file is how an operator overrides it again. Every entry is checked before anything is applied; a file that
/// breaks a rule stops the service with every problem listed.
enum ReferenceImport {
    /// Reads the five files from `directory`.
    static func read(directory: String) throws(ReferenceDataError) -> CohortReferenceData {
        try CohortReferenceData.load(
            directory: directory,
            hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder holding the cohort reference files")
    }

    /// Applies what changed in `data` and returns how many entries were applied.
    @discardableResult
    static func apply(_ data: CohortReferenceData, in context: TaskContext) async throws -> Int {
        let database = context.database
        var applied = 0
        var problems: [ReferenceProblem] = []
        for course in data.courses where try await changed(.courses, course.identifier, course, context) {
            try await CohortsStore.save(course, in: database)
            applied += 1
        }
        for provider in data.leadProviders
        where try await changed(.leadProviders, provider.identifier, provider, context) {
            try await CohortsStore.save(provider, in: database)
            applied += 1
        }
        func note(_ file: CohortReferenceData.File, _ entry: String, _ error: DefinitionError) throws {
            guard case .violations(let violations) = error else { throw error }
            problems += violations.map {
                ReferenceProblem(file: file.rawValue, entry: entry, field: $0.field, $0.message)
            }
        }
        let user = CohortDefinitions.referenceFile
        for cohort in data.cohorts where try await changed(.cohorts, cohort.identifier, cohort, context) {
            do { _ = try await CohortDefinitions.define(cohort, by: user, in: context) } catch {
                try note(.cohorts, cohort.identifier, error)
            }
            applied += 1
        }
        for schedule in data.schedules {
            let entry = "\(schedule.cohort) \(schedule.identifier)"
            guard try await changed(.schedules, entry, schedule, context) else { continue }
            do { _ = try await CohortDefinitions.define(schedule, by: user, in: context) } catch {
                try note(.schedules, entry, error)
            }
            applied += 1
        }
        for offering in data.offerings {
            let entry = "\(offering.cohort) \(offering.course) \(offering.leadProvider)"
            guard try await changed(.offerings, entry, offering, context) else { continue }
            do { _ = try await CohortDefinitions.set(offering, by: user, in: context) } catch {
                try note(.offerings, entry, error)
            }
            applied += 1
        }
        // Nothing is half-applied: the transaction rolls back.
        guard problems.isEmpty else { throw ReferenceDataError(problems) }
        return applied
    }

    /// Whether the file's entry differs from the one imported last time; records it as imported when it does.
    private static func changed<T: Encodable>(
        _ file: CohortReferenceData.File, _ entry: String, _ value: T, _ context: TaskContext
    ) async throws -> Bool {
        let definition = try CohortsStore.encode(value)
        let previous = try await CohortsStore.importedDefinition(
            file: file.rawValue, entry: entry, in: context.database)
        guard previous != definition else { return false }
        try await CohortsStore.recordImport(
            file: file.rawValue, entry: entry, definition: definition, at: context.now, in: context.database)
        return true
    }
}
