import Foundation
import SQLKit

extension SQLStore {
    /// The table recording which migrations have been applied.
    static let migrationsTable = "npq_schema_migrations"

    /// Applies, in version order, each migration not yet recorded in `npq_schema_migrations`, each in its own
    /// transaction together with its record, so a failing step leaves neither its changes nor its record.
    ///
    /// Safe to run at every start and from several processes at once: each step re-checks its record inside its
    /// transaction. Refuses, before changing anything, a database that holds a version this binary does not know
    /// (it was migrated by a newer release; running older code on it could corrupt data) or whose recorded name for
    /// a version differs from the binary's (a released migration was edited or renumbered).
    ///
    /// - Returns: The versions applied by this call, in order; empty when the schema was already current.
    @discardableResult
    public func migrate(_ migrations: [SQLMigration]) async throws -> [Int] {
        let ordered = try Self.validated(migrations)
        let known = Dictionary(uniqueKeysWithValues: ordered.map { ($0.version, $0.name) })

        try await transaction { database in
            // Portable DDL through SQLKit: BIGINT renders as INTEGER on SQLite, and applied_at is ISO 8601 text
            // rather than a dialect-specific timestamp type.
            try await database.create(table: Self.migrationsTable)
                .ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .text, .notNull)
                .run()
            try Self.check(applied: try await Self.applied(on: database), against: known)
        }

        var appliedNow: [Int] = []
        for migration in ordered {
            let didApply = try await transaction { database in
                let applied = try await Self.applied(on: database)
                try Self.check(applied: applied, against: known)
                guard applied[migration.version] == nil else { return false }
                try await migration.apply(database)
                try await database.insert(into: Self.migrationsTable)
                    .columns("version", "name", "applied_at")
                    .values(
                        SQLBind(migration.version), SQLBind(migration.name),
                        SQLBind(Date().formatted(.iso8601))
                    )
                    .run()
                return true
            }
            if didApply { appliedNow.append(migration.version) }
        }
        return appliedNow
    }

    /// The versions recorded as applied, with their names.
    private static func applied(on database: any SQLDatabase) async throws -> [Int: String] {
        let rows = try await database.select()
            .columns("version", "name")
            .from(migrationsTable)
            .orderBy("version")
            .all()
        var applied: [Int: String] = [:]
        for row in rows {
            applied[try row.decode(column: "version", as: Int.self)] = try row.decode(column: "name", as: String.self)
        }
        return applied
    }

    /// Throws if the database holds a version the binary lacks, or a different name for one it has.
    private static func check(applied: [Int: String], against known: [Int: String]) throws {
        for (version, appliedName) in applied.sorted(by: { $0.key < $1.key }) {
            guard let knownName = known[version] else {
                throw SQLStoreError(
                    code: .unknownSchemaVersion,
                    message: "the database has schema version \(version) (\"\(appliedName)\"), which this release "
                        + "does not know (latest: \(known.keys.max() ?? 0)); it was migrated by a newer release, "
                        + "so run that release or restore a backup")
            }
            guard knownName == appliedName else {
                throw SQLStoreError(
                    code: .migrationRenamed,
                    message: "schema version \(version) was applied as \"\(appliedName)\" but this release calls it "
                        + "\"\(knownName)\"; released migrations must never be edited, add a new version instead")
            }
        }
    }

    /// The migrations sorted by version, after checking versions are positive and unique and names non-empty.
    private static func validated(_ migrations: [SQLMigration]) throws -> [SQLMigration] {
        var seen: Set<Int> = []
        for migration in migrations {
            guard migration.version > 0, !migration.name.isEmpty else {
                throw SQLStoreError(
                    code: .invalidMigrations,
                    message: "migration \(migration.version) \"\(migration.name)\" needs a positive version and a name"
                )
            }
            guard seen.insert(migration.version).inserted else {
                throw SQLStoreError(
                    code: .invalidMigrations, message: "migration version \(migration.version) appears twice")
            }
        }
        return migrations.sorted { $0.version < $1.version }
    }
}
