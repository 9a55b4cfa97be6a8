import EligibilityDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// A service's copy of the schools register (npq-eligibility owns it): seeded from `NPQ_SCHOOLS_FILE` at first
/// start, then kept up to date from `school.register.changed`. npq-applications (the school an application names)
/// and npq-notifications (the school's name in notices) each keep one in their own database.
///
/// Each school carries the change that last set it — when npq-eligibility made that version, and its number — and an
/// event's entry is applied only over an older change: the parts of a version may arrive in any order, and a late
/// part of an old version changes nothing. The time comes first, so that versions counted again from 1 (npq-eligibility
/// given a new database) still replace older ones. A removed school is kept as removed, so that a late part cannot
/// bring it back.
public enum SchoolRegisterCopy {
    /// The migration that creates the copy's table, as version `version` of the service's own migrations.
    public static func migration(version: Int) -> SQLMigration {
        SQLMigration(
            version: version, name: "a copy of the schools register, kept from npq-eligibility's events",
            statements: [
                """
                CREATE TABLE school_register_copy (
                    urn TEXT PRIMARY KEY, ukprn TEXT, name TEXT NOT NULL, type_code INTEGER NOT NULL,
                    status_code INTEGER NOT NULL, la_code TEXT, postcode TEXT, changed_at TEXT NOT NULL,
                    version INTEGER NOT NULL, removed INTEGER NOT NULL)
                """,
                "CREATE INDEX school_register_copy_ukprn ON school_register_copy (ukprn)",
            ])
    }

    private static let columns = ["urn", "ukprn", "name", "type_code", "status_code", "la_code", "postcode"]

    /// Whether the copy holds nothing yet (a first start).
    public static func isEmpty(in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column("urn").from("school_register_copy").limit(1).first() == nil
    }

    /// Seeds the copy with the schools of the service's file, older than any change npq-eligibility publishes.
    public static func seed(_ schools: [SchoolRecord], in database: any SQLDatabase) async throws {
        try await upsert(schools.map { $0.entry() }, changedAt: "", version: 0, in: database)
    }

    /// The condition that the stored row is older than the change at `changedAt`, `version`.
    private static func olderThan(_ changedAt: String, _ version: Int) -> SQLQueryString {
        let older: SQLQueryString = "(school_register_copy.changed_at < \(bind: changedAt) OR "
        return older
            + "(school_register_copy.changed_at = \(bind: changedAt) AND school_register_copy.version < \(bind: version)))"
    }

    /// The handler of `school.register.changed`: applies the part, and logs what it held.
    public static func changed(
        _ message: IncomingMessage<SchoolRegisterChanged>, _ context: HandlerContext
    )
        async throws
    {
        let changes = message.payload
        try await apply(changes, in: context.database)
        context.logger.info(
            "schools register copy updated",
            metadata: [
                "version": "\(changes.version)", "part": "\(changes.part)/\(changes.parts)",
                "schools": "\(changes.schools.count)", "removed": "\(changes.removed.count)",
            ])
    }

    /// Applies one part of a version's changes.
    static func apply(_ changes: SchoolRegisterChanged, in database: any SQLDatabase) async throws {
        let changedAt = RFC3339.format(changes.changedAt)
        try await upsert(changes.schools, changedAt: changedAt, version: changes.version, in: database)
        // A removal is written even for a school the copy does not hold yet (its adding part may come later): the
        // tombstone, newer than that part, keeps it out.
        for start in stride(from: 0, to: changes.removed.count, by: 80) {
            let insert = database.insert(into: "school_register_copy")
                .columns(columns + ["changed_at", "version", "removed"])
            for urn in changes.removed[start..<min(start + 80, changes.removed.count)] {
                insert.values(
                    SQLBind(urn), SQLBind(String?.none), SQLBind(""), SQLBind(0), SQLBind(0), SQLBind(String?.none),
                    SQLBind(String?.none), SQLBind(changedAt), SQLBind(changes.version), SQLBind(1))
            }
            try await insert.onConflict(with: ["urn"]) { conflict in
                conflict.set("removed", to: SQLBind(1)).set(excludedValueOf: "changed_at")
                    .set(excludedValueOf: "version").where(olderThan(changedAt, changes.version))
            }.run()
        }
    }

    /// Inserts or replaces `entries` as of the change at `changedAt`, `version`, each only over an older change.
    private static func upsert(
        _ entries: [SchoolRegisterEntry], changedAt: String, version: Int, in database: any SQLDatabase
    ) async throws {
        let written = columns + ["changed_at", "version", "removed"]
        // 80 rows of 10 parameters a statement keeps well inside SQLite's limit on bound parameters.
        for start in stride(from: 0, to: entries.count, by: 80) {
            let insert = database.insert(into: "school_register_copy").columns(written)
            for entry in entries[start..<min(start + 80, entries.count)] {
                insert.values(
                    SQLBind(entry.urn), SQLBind(entry.ukprn), SQLBind(entry.name), SQLBind(entry.establishmentTypeCode),
                    SQLBind(entry.establishmentStatusCode), SQLBind(entry.localAuthorityCode), SQLBind(entry.postcode),
                    SQLBind(changedAt), SQLBind(version), SQLBind(0))
            }
            try await insert.onConflict(with: ["urn"]) { conflict in
                for column in written.dropFirst() { conflict.set(excludedValueOf: column) }
                return conflict.where(olderThan(changedAt, version))
            }.run()
        }
    }

    /// The part of the register an application's institution needs: the school with its URN and one with its UKPRN
    /// (the lowest URN, which is GIAS's order), as a register of those alone.
    public static func register(
        for institution: Institution?, in database: any SQLDatabase
    ) async throws -> SchoolRegister {
        var schools: [SchoolRecord] = []
        if let urn = institution?.urn, let school = try await school(urn: urn, in: database) {
            schools.append(school)
        }
        if let ukprn = institution?.ukprn {
            let row = try await database.select().columns(columns).from("school_register_copy")
                .where("ukprn", .equal, ukprn.trimmingCharacters(in: .whitespaces)).where("removed", .equal, 0)
                .orderBy("urn").limit(1).first()
            if let row { schools.append(try record(row)) }
        }
        return SchoolRegister(schools)
    }

    /// The school with `urn`, unless it is not (or no longer) on the register.
    public static func school(urn: String, in database: any SQLDatabase) async throws -> SchoolRecord? {
        let row = try await database.select().columns(columns).from("school_register_copy")
            .where("urn", .equal, urn.trimmingCharacters(in: .whitespaces)).where("removed", .equal, 0)
            .first()
        return try row.map(record)
    }

    private static func record(_ row: any SQLRow) throws -> SchoolRecord {
        SchoolRecord(
            urn: try row.decode(column: "urn", as: String.self),
            ukprn: try row.decode(column: "ukprn", as: String?.self),
            name: try row.decode(column: "name", as: String.self),
            establishmentTypeCode: try row.decode(column: "type_code", as: Int.self),
            status: EstablishmentStatus(rawValue: try row.decode(column: "status_code", as: Int.self)) ?? .open,
            localAuthorityCode: try row.decode(column: "la_code", as: String?.self),
            postcode: try row.decode(column: "postcode", as: String?.self))
    }
}
