import ApplicationsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// The eligibility service's tables: every decision it made (with the inputs, for audit and overrides), and the
/// projection of funded acceptances that answers "previously funded".
enum EligibilityStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 100, name: "eligibility decisions and funded acceptances",
            statements: [
                """
                CREATE TABLE eligibility_decision (
                    application_id TEXT PRIMARY KEY, person_key TEXT NOT NULL, trn TEXT, same_course TEXT NOT NULL,
                    cohort TEXT NOT NULL, status TEXT NOT NULL, funded INTEGER NOT NULL, outcome TEXT NOT NULL,
                    policy_version TEXT NOT NULL, decided_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE eligibility_override (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, application_id TEXT NOT NULL, status TEXT NOT NULL,
                    reason TEXT NOT NULL, by_user TEXT NOT NULL, at TEXT NOT NULL)
                """,
                """
                CREATE TABLE eligibility_funded_acceptance (
                    application_id TEXT PRIMARY KEY, person_key TEXT NOT NULL, trn TEXT, same_course TEXT NOT NULL,
                    accepted_at TEXT NOT NULL)
                """,
                "CREATE INDEX eligibility_funded_person ON eligibility_funded_acceptance (person_key, same_course)",
                "CREATE INDEX eligibility_funded_trn ON eligibility_funded_acceptance (trn, same_course)",
            ])
    ]

    /// A decision as stored: who and what it was about, and the outcome.
    struct Decision: Sendable {
        var applicationID: UUID
        var personKey: String
        var trn: String?
        var course: String
        var cohort: String
        var outcome: FundingOutcome
        var policyVersion: String
        /// The reference lists' versions the decision was made with, e.g. `pp50_schools@2,rise_schools@1`.
        var listVersions: String?
        /// The work setting answered, which decides who else may pay.
        var workSetting: WorkSetting? = nil

        /// Who may pay when the place is not funded.
        var payers: [FundingChoice] { EligibilityExplanation.payers(for: workSetting ?? .other) }
    }

    static func decision(_ id: UUID, in database: any SQLDatabase) async throws -> Decision? {
        guard
            let row = try await database.select()
                .columns(
                    "person_key", "trn", "same_course", "course", "cohort", "outcome", "policy_version",
                    "list_versions", "work_setting"
                )
                .from("eligibility_decision").where("application_id", .equal, id.uuidString.lowercased()).first()
        else { return nil }
        return Decision(
            applicationID: id, personKey: try row.decode(column: "person_key", as: String.self),
            trn: try row.decode(column: "trn", as: String?.self),
            course: try row.decode(column: "course", as: String?.self)
                ?? row.decode(column: "same_course", as: String.self),
            cohort: try row.decode(column: "cohort", as: String.self),
            outcome: try StoredJSON.decode(FundingOutcome.self, try row.decode(column: "outcome", as: String.self)),
            policyVersion: try row.decode(column: "policy_version", as: String.self),
            listVersions: try row.decode(column: "list_versions", as: String?.self),
            workSetting: try row.decode(column: "work_setting", as: String?.self).flatMap(WorkSetting.init(rawValue:)))
    }

    static func save(_ decision: Decision, at time: Date, in database: any SQLDatabase) async throws {
        let outcome = try StoredJSON.encode(decision.outcome)
        try await database.insert(into: "eligibility_decision")
            .columns(
                "application_id", "person_key", "trn", "same_course", "cohort", "status", "funded", "outcome",
                "policy_version", "list_versions", "decided_at", "course", "work_setting"
            )
            .values(
                SQLBind(decision.applicationID.uuidString.lowercased()), SQLBind(decision.personKey),
                SQLBind(decision.trn), SQLBind(CourseIdentity.canonical(decision.course)), SQLBind(decision.cohort),
                SQLBind(decision.outcome.status.rawValue), SQLBind(decision.outcome.funded ? 1 : 0), SQLBind(outcome),
                SQLBind(decision.policyVersion), SQLBind(decision.listVersions), SQLBind(RFC3339.format(time)),
                SQLBind(decision.course), SQLBind(decision.workSetting?.rawValue)
            )
            .onConflict(with: ["application_id"]) { conflict in
                conflict.set(excludedValueOf: "status").set(excludedValueOf: "funded").set(excludedValueOf: "outcome")
                    .set(excludedValueOf: "policy_version").set(excludedValueOf: "decided_at")
            }
            .run()
    }

    static func recordOverride(
        _ id: UUID, status: EligibilityStatus, reason: String, by user: String, at time: Date,
        in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "eligibility_override").columns(
            "application_id", "status", "reason", "by_user", "at"
        )
        .values(
            SQLBind(id.uuidString.lowercased()), SQLBind(status.rawValue), SQLBind(reason), SQLBind(user),
            SQLBind(RFC3339.format(time))
        ).run()
    }

    /// Whether the person has a funded acceptance for the same course (EHCO ≡ ASO): found by TRN when the application
    /// gives one, else by the submitting identity (eligibility.md). An acceptance recorded without a TRN can only be
    /// found by identity, so with a TRN both a matching TRN and an identity match with no TRN count.
    static func previouslyFunded(
        personKey: String, trn: String?, course: String, excluding id: UUID, in database: any SQLDatabase
    ) async throws -> Bool {
        let query = database.select().column(SQLLiteral.numeric("1")).from("eligibility_funded_acceptance")
            .where("same_course", .equal, CourseIdentity.canonical(course))
            .where("application_id", .notEqual, id.uuidString.lowercased())
        if let trn {
            query.where { group in
                group.orWhere("trn", .equal, trn).orWhere { unknown in
                    unknown.where("trn", .is, SQLLiteral.null).where("person_key", .equal, personKey)
                }
            }
        } else {
            query.where("person_key", .equal, personKey)
        }
        return try await query.first() != nil
    }

    /// Remembers that the application was rejected: final, so a late acceptance of it is ignored.
    static func recordRejection(_ id: UUID, in database: any SQLDatabase) async throws {
        try await database.insert(into: "eligibility_rejected").columns("application_id")
            .values(SQLBind(id.uuidString.lowercased())).ignoringConflicts(with: ["application_id"]).run()
    }

    static func wasRejected(_ id: UUID, in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column("application_id").from("eligibility_rejected")
            .where("application_id", .equal, id.uuidString.lowercased()).first() != nil
    }

    /// Whether the application holds a funded place.
    static func hasFundedAcceptance(_ id: UUID, in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column("application_id").from("eligibility_funded_acceptance")
            .where("application_id", .equal, id.uuidString.lowercased()).first() != nil
    }

    /// Forgets a funded acceptance (the provider rejected the application after accepting it).
    static func removeFundedAcceptance(_ id: UUID, in database: any SQLDatabase) async throws {
        try await database.delete(from: "eligibility_funded_acceptance")
            .where("application_id", .equal, id.uuidString.lowercased()).run()
    }

    static func recordFundedAcceptance(_ decision: Decision, at time: Date, in database: any SQLDatabase) async throws {
        try await database.insert(into: "eligibility_funded_acceptance")
            .columns("application_id", "person_key", "trn", "same_course", "accepted_at")
            .values(
                SQLBind(decision.applicationID.uuidString.lowercased()), SQLBind(decision.personKey),
                SQLBind(decision.trn), SQLBind(CourseIdentity.canonical(decision.course)),
                SQLBind(RFC3339.format(time))
            )
            .ignoringConflicts(with: ["application_id"])
            .run()
    }
}
