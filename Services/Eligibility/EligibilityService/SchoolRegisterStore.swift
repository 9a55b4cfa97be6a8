import EligibilityDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// The schools register as the service holds it: the establishments of its current version, every version ever
/// imported (when, by whom, from which file, what changed), and the parts of imports still arriving.
///
/// A new version replaces the establishments as a whole in the importing transaction, so a decision sees either the
/// old register or the new one, never a mixture. Parts are kept apart until an import has all of them.
enum SchoolRegisterStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 103, name: "the schools register, versioned, and the parts of imports",
            statements: [
                """
                CREATE TABLE school_register_version (
                    version INTEGER PRIMARY KEY, schools INTEGER NOT NULL, added INTEGER NOT NULL,
                    removed INTEGER NOT NULL, changed INTEGER NOT NULL, sha256 TEXT NOT NULL, file_name TEXT,
                    import_id TEXT, imported_by TEXT NOT NULL, imported_at TEXT NOT NULL)
                """,
                "CREATE UNIQUE INDEX school_register_version_import ON school_register_version (import_id)",
                """
                CREATE TABLE school_register_school (
                    urn TEXT PRIMARY KEY, ukprn TEXT, name TEXT NOT NULL, type_code INTEGER NOT NULL,
                    status_code INTEGER NOT NULL, la_code TEXT, postcode TEXT, position INTEGER NOT NULL)
                """,
                "CREATE INDEX school_register_school_ukprn ON school_register_school (ukprn, position)",
                "CREATE TABLE school_register_import (import_id TEXT PRIMARY KEY, started_at TEXT NOT NULL)",
                """
                CREATE TABLE school_register_part (
                    import_id TEXT NOT NULL, part INTEGER NOT NULL, parts INTEGER NOT NULL, sha256 TEXT NOT NULL,
                    file_name TEXT, schools TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (import_id, part))
                """,
            ])
    ]

    /// Who imports from the service's `NPQ_SCHOOLS_FILE`.
    static let fileImporter = "file"

    // MARK: - Versions

    private static let versionColumns = [
        "version", "schools", "added", "removed", "changed", "sha256", "file_name", "import_id", "imported_by",
        "imported_at",
    ]

    /// The latest version, as its `school.register.imported` said.
    static func latest(in database: any SQLDatabase) async throws -> SchoolRegisterImported? {
        let row = try await database.select().columns(versionColumns).from("school_register_version")
            .orderBy("version", .descending).limit(1).first()
        return try row.map(imported)
    }

    /// The version an import made, if it has been applied.
    static func version(importID: UUID, in database: any SQLDatabase) async throws -> SchoolRegisterImported? {
        let row = try await database.select().columns(versionColumns).from("school_register_version")
            .where("import_id", .equal, importID.uuidString.lowercased()).first()
        return try row.map(imported)
    }

    /// The hash of the latest import from the service's own file, to tell whether the file changed since.
    static func latestFileHash(in database: any SQLDatabase) async throws -> String? {
        let row = try await database.select().column("sha256").from("school_register_version")
            .where("imported_by", .equal, fileImporter).orderBy("version", .descending).limit(1).first()
        return try row?.decode(column: "sha256", as: String.self)
    }

    static func record(_ version: SchoolRegisterImported, in database: any SQLDatabase) async throws {
        try await database.insert(into: "school_register_version").columns(versionColumns)
            .values(
                SQLBind(version.version), SQLBind(version.schools), SQLBind(version.added), SQLBind(version.removed),
                SQLBind(version.changed), SQLBind(version.sha256), SQLBind(version.fileName),
                SQLBind(version.importID?.uuidString.lowercased()), SQLBind(version.importedBy),
                SQLBind(RFC3339.format(version.importedAt))
            ).run()
    }

    private static func imported(_ row: any SQLRow) throws -> SchoolRegisterImported {
        SchoolRegisterImported(
            version: try row.decode(column: "version", as: Int.self),
            schools: try row.decode(column: "schools", as: Int.self),
            added: try row.decode(column: "added", as: Int.self),
            removed: try row.decode(column: "removed", as: Int.self),
            changed: try row.decode(column: "changed", as: Int.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            fileName: try row.decode(column: "file_name", as: String?.self),
            importID: try row.decode(column: "import_id", as: String?.self).flatMap(UUID.init(uuidString:)),
            importedBy: try row.decode(column: "imported_by", as: String.self),
            importedAt: RFC3339.parse(try row.decode(column: "imported_at", as: String.self))
                ?? Date(timeIntervalSince1970: 0))
    }

    // MARK: - The establishments

    private static let schoolColumns = [
        "urn", "ukprn", "name", "type_code", "status_code", "la_code", "postcode", "position",
    ]

    /// Every establishment of the current version, by URN.
    static func schools(in database: any SQLDatabase) async throws -> [String: SchoolRecord] {
        var schools: [String: SchoolRecord] = [:]
        for row in try await database.select().columns(schoolColumns).from("school_register_school").all() {
            let school = try record(row)
            schools[school.urn] = school
        }
        return schools
    }

    /// Replaces every establishment with `schools`, keeping their order (a UKPRN shared by several names the first).
    static func replace(with schools: [SchoolRecord], in database: any SQLDatabase) async throws {
        try await database.delete(from: "school_register_school").run()
        // 100 rows (800 parameters) a statement keeps well inside SQLite's limit on bound parameters.
        for start in stride(from: 0, to: schools.count, by: 100) {
            let insert = database.insert(into: "school_register_school").columns(schoolColumns)
            for (offset, school) in schools[start..<min(start + 100, schools.count)].enumerated() {
                insert.values(
                    SQLBind(school.urn), SQLBind(school.ukprn), SQLBind(school.name),
                    SQLBind(school.establishmentTypeCode), SQLBind(school.status.rawValue),
                    SQLBind(school.localAuthorityCode), SQLBind(school.postcode), SQLBind(start + offset))
            }
            try await insert.run()
        }
    }

    /// The part of the register an application's institution needs: the establishment with its URN and the first
    /// with its UKPRN, as a register of those alone.
    static func register(for institution: Institution?, in database: any SQLDatabase) async throws -> SchoolRegister {
        var schools: [SchoolRecord] = []
        if let urn = institution?.urn {
            let row = try await database.select().columns(schoolColumns).from("school_register_school")
                .where("urn", .equal, urn.trimmingCharacters(in: .whitespaces)).first()
            if let row { schools.append(try record(row)) }
        }
        if let ukprn = institution?.ukprn {
            let row = try await database.select().columns(schoolColumns).from("school_register_school")
                .where("ukprn", .equal, ukprn.trimmingCharacters(in: .whitespaces)).orderBy("position").limit(1)
                .first()
            if let row { schools.append(try record(row)) }
        }
        return SchoolRegister(schools)
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

    // MARK: - Parts of imports

    /// What every part of an import must agree on, as its first part said it.
    struct PartHeader: Sendable, Equatable {
        var part: Int
        var parts: Int
        var sha256: String
        var fileName: String?
    }

    /// Takes the import's lock for the rest of the transaction, so that two parts handled at once (by replicas)
    /// cannot both miss the other and leave the import incomplete. A no-op on SQLite, whose writers take turns.
    static func lockImport(_ importID: UUID, at time: Date, in database: any SQLDatabase) async throws {
        let id = importID.uuidString.lowercased()
        try await database.insert(into: "school_register_import").columns("import_id", "started_at")
            .values(SQLBind(id), SQLBind(RFC3339.format(time))).ignoringConflicts(with: ["import_id"]).run()
        _ = try await database.select().column("import_id").from("school_register_import")
            .where("import_id", .equal, id).for(.update).first()
    }

    /// Keeps a part until the import has all of them; a part received before (sent again) is kept once.
    static func stage(_ command: SchoolRegisterImport, at time: Date, in database: any SQLDatabase) async throws {
        try await database.insert(into: "school_register_part")
            .columns("import_id", "part", "parts", "sha256", "file_name", "schools", "received_at")
            .values(
                SQLBind(command.importID.uuidString.lowercased()), SQLBind(command.part), SQLBind(command.parts),
                SQLBind(command.sha256), SQLBind(command.fileName), SQLBind(try StoredJSON.encode(command.schools)),
                SQLBind(RFC3339.format(time))
            )
            .ignoringConflicts(with: ["import_id", "part"]).run()
    }

    /// The parts of an import received so far.
    static func stagedParts(_ importID: UUID, in database: any SQLDatabase) async throws -> [PartHeader] {
        try await database.select().columns("part", "parts", "sha256", "file_name").from("school_register_part")
            .where("import_id", .equal, importID.uuidString.lowercased()).orderBy("part").all()
            .map { row in
                PartHeader(
                    part: try row.decode(column: "part", as: Int.self),
                    parts: try row.decode(column: "parts", as: Int.self),
                    sha256: try row.decode(column: "sha256", as: String.self),
                    fileName: try row.decode(column: "file_name", as: String?.self))
            }
    }

    /// Each part's schools, in part order.
    static func stagedSchools(_ importID: UUID, in database: any SQLDatabase) async throws -> [[SchoolRegisterEntry]] {
        try await database.select().column("schools").from("school_register_part")
            .where("import_id", .equal, importID.uuidString.lowercased()).orderBy("part").all()
            .map {
                try StoredJSON.decode([SchoolRegisterEntry].self, try $0.decode(column: "schools", as: String.self))
            }
    }

    /// Forgets the parts of an import, once applied.
    static func dropStaged(_ importID: UUID, in database: any SQLDatabase) async throws {
        for table in ["school_register_part", "school_register_import"] {
            try await database.delete(from: table).where("import_id", .equal, importID.uuidString.lowercased()).run()
        }
    }

    /// Forgets parts received before `cutoff`: imports abandoned, or refused as a whole.
    static func dropStaged(receivedBefore cutoff: Date, in database: any SQLDatabase) async throws {
        try await database.delete(from: "school_register_part")
            .where("received_at", .lessThan, RFC3339.format(cutoff)).run()
        try await database.delete(from: "school_register_import")
            .where("started_at", .lessThan, RFC3339.format(cutoff)).run()
    }
}
