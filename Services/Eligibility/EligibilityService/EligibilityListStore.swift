import Crypto
import EligibilityDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// The reference lists as the service holds them: the identifiers of each list's current version, and every version
/// ever imported (when, by whom, from which file, how many identifiers, what changed).
///
/// A list is replaced as a whole, in the importing transaction, so an assessment sees either the old version or the
/// new one, never a mixture.
enum EligibilityListStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 101, name: "versioned reference lists and cohorts' funding modes",
            statements: [
                """
                CREATE TABLE eligibility_list_version (
                    list TEXT NOT NULL, version INTEGER NOT NULL, count INTEGER NOT NULL, row_count INTEGER NOT NULL,
                    added INTEGER NOT NULL, removed INTEGER NOT NULL, sha256 TEXT NOT NULL, file_name TEXT,
                    imported_by TEXT NOT NULL, imported_at TEXT NOT NULL, PRIMARY KEY (list, version))
                """,
                """
                CREATE TABLE eligibility_list_entry (
                    list TEXT NOT NULL, identifier TEXT NOT NULL, PRIMARY KEY (list, identifier))
                """,
                "CREATE INDEX eligibility_list_entry_identifier ON eligibility_list_entry (identifier)",
                "CREATE TABLE eligibility_cohort (cohort TEXT PRIMARY KEY, funding_mode TEXT NOT NULL)",
                "ALTER TABLE eligibility_decision ADD COLUMN list_versions TEXT",
            ]),
        SQLMigration(
            version: 102, name: "decisions keep the course and work setting; rejections; cohorts' definition times",
            statements: [
                "ALTER TABLE eligibility_decision ADD COLUMN course TEXT",
                "ALTER TABLE eligibility_decision ADD COLUMN work_setting TEXT",
                "CREATE TABLE eligibility_rejected (application_id TEXT PRIMARY KEY)",
                "ALTER TABLE eligibility_cohort ADD COLUMN defined_at TEXT",
            ]),
    ]

    /// Who imports from the service's reference folder.
    static let fileImporter = "file"

    /// The SHA-256 of `data`, hex.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The latest version of `list`: its number, and the file's hash and importer.
    static func latest(
        _ list: ReferenceListKind, in database: any SQLDatabase
    ) async throws -> (version: Int, sha256: String, importedBy: String)? {
        guard
            let row = try await database.select().columns("version", "sha256", "imported_by")
                .from("eligibility_list_version").where("list", .equal, list.rawValue)
                .orderBy("version", .descending).limit(1).first()
        else { return nil }
        return (
            try row.decode(column: "version", as: Int.self), try row.decode(column: "sha256", as: String.self),
            try row.decode(column: "imported_by", as: String.self)
        )
    }

    /// The latest file import of `list`'s hash, to tell whether the reference folder's file changed since.
    static func latestFileHash(_ list: ReferenceListKind, in database: any SQLDatabase) async throws -> String? {
        let row = try await database.select().column("sha256").from("eligibility_list_version")
            .where("list", .equal, list.rawValue).where("imported_by", .equal, fileImporter)
            .orderBy("version", .descending).limit(1).first()
        return try row?.decode(column: "sha256", as: String.self)
    }

    /// Replaces `list` as a whole and records the new version.
    static func replace(
        _ list: ReferenceList, sha256: String, fileName: String?, by user: String, at time: Date,
        in database: any SQLDatabase
    ) async throws -> EligibilityListImported {
        let kind = list.kind
        let previous = Set(
            try await database.select().column("identifier").from("eligibility_list_entry")
                .where("list", .equal, kind.rawValue).all().map { try $0.decode(column: "identifier", as: String.self) }
        )
        let version = (try await latest(kind, in: database)?.version ?? 0) + 1
        try await database.delete(from: "eligibility_list_entry").where("list", .equal, kind.rawValue).run()
        // 400 rows (800 parameters) a statement keeps well inside SQLite's limit on bound parameters.
        let identifiers = list.identifiers.sorted()
        for start in stride(from: 0, to: identifiers.count, by: 400) {
            let insert = database.insert(into: "eligibility_list_entry").columns("list", "identifier")
            for identifier in identifiers[start..<min(start + 400, identifiers.count)] {
                insert.values(SQLBind(kind.rawValue), SQLBind(identifier))
            }
            try await insert.run()
        }
        let imported = EligibilityListImported(
            list: EligibilityListName(rawValue: kind.rawValue)!, version: version, count: list.count,
            rowCount: list.rowCount, added: list.identifiers.subtracting(previous).count,
            removed: previous.subtracting(list.identifiers).count, sha256: sha256, fileName: fileName,
            importedBy: user, importedAt: time)
        try await database.insert(into: "eligibility_list_version")
            .columns(
                "list", "version", "count", "row_count", "added", "removed", "sha256", "file_name", "imported_by",
                "imported_at"
            )
            .values(
                SQLBind(kind.rawValue), SQLBind(version), SQLBind(imported.count), SQLBind(imported.rowCount),
                SQLBind(imported.added), SQLBind(imported.removed), SQLBind(sha256), SQLBind(fileName),
                SQLBind(user), SQLBind(RFC3339.format(time))
            ).run()
        return imported
    }

    /// The lists as far as one institution is concerned: for each list, those of the institution's identifiers that
    /// are on it — all that membership checks for that institution need — and the version of every list.
    static func lists(
        for institution: EligibilityInstitution?, in database: any SQLDatabase
    ) async throws -> (lists: EligibilityLists, versions: String) {
        var lists = EligibilityLists()
        let given = [institution?.urn, institution?.ukprn, institution?.ofstedURN].compactMap { $0 }
        let candidates = Set(given.flatMap { text in IdentifierFormat.allCases.compactMap { $0.normalise(text) } })
        if !candidates.isEmpty {
            let rows = try await database.select().columns("list", "identifier").from("eligibility_list_entry")
                .where("identifier", .in, Array(candidates)).all()
            var found: [ReferenceListKind: [String]] = [:]
            for row in rows {
                guard let kind = ReferenceListKind(rawValue: try row.decode(column: "list", as: String.self)) else {
                    continue
                }
                found[kind, default: []].append(try row.decode(column: "identifier", as: String.self))
            }
            for (kind, identifiers) in found { lists[kind] = ReferenceList(kind, identifiers: identifiers) }
        }
        let versions = try await database.select().column("list").column(
            SQLFunction("MAX", args: SQLColumn("version")), as: "version"
        )
        .from("eligibility_list_version").groupBy("list").orderBy("list").all()
        .map { "\(try $0.decode(column: "list", as: String.self))@\(try $0.decode(column: "version", as: Int.self))" }
        return (lists, versions.joined(separator: ","))
    }

    // MARK: - Cohorts

    /// Keeps a cohort's funding mode; a definition older than the one kept (a retried event) changes nothing.
    static func saveCohort(
        _ cohort: String, fundingMode: FundingMode, definedAt: Date? = nil, in database: any SQLDatabase
    ) async throws {
        let time = definedAt.map(RFC3339.format)
        try await database.insert(into: "eligibility_cohort").columns("cohort", "funding_mode", "defined_at")
            .values(SQLBind(cohort), SQLBind(fundingMode.rawValue), SQLBind(time))
            .onConflict(with: ["cohort"]) { conflict in
                conflict.set(excludedValueOf: "funding_mode").set(excludedValueOf: "defined_at")
                    .where(
                        SQLQueryString(
                            "eligibility_cohort.defined_at IS NULL OR excluded.defined_at IS NULL OR excluded.defined_at >= eligibility_cohort.defined_at"
                        ))
            }.run()
    }

    static func fundingMode(_ cohort: String, in database: any SQLDatabase) async throws -> FundingMode? {
        let row = try await database.select().column("funding_mode").from("eligibility_cohort")
            .where("cohort", .equal, cohort).first()
        return try row.flatMap { FundingMode(rawValue: try $0.decode(column: "funding_mode", as: String.self)) }
    }

    static func hasCohorts(in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column("cohort").from("eligibility_cohort").limit(1).first() != nil
    }
}
