import CohortsDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// The cohorts service's tables and the queries on them.
///
/// Definitions are kept as JSON documents (they are small, read whole and never queried by field); counts and the
/// once-only markers (announcements, targets reached, imported file entries) are columns, so that they change in
/// the same transaction as the messages that report them.
enum CohortsStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 100, name: "cohorts reference data, acceptances and announcements",
            statements: [
                "CREATE TABLE cohorts_course (identifier TEXT PRIMARY KEY, definition TEXT NOT NULL)",
                "CREATE TABLE cohorts_lead_provider (identifier TEXT PRIMARY KEY, definition TEXT NOT NULL)",
                """
                CREATE TABLE cohorts_cohort (
                    identifier TEXT PRIMARY KEY, definition TEXT NOT NULL, defined_by TEXT NOT NULL,
                    defined_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE cohorts_schedule (
                    cohort TEXT NOT NULL, identifier TEXT NOT NULL, definition TEXT NOT NULL,
                    defined_by TEXT NOT NULL, defined_at TEXT NOT NULL, PRIMARY KEY (cohort, identifier))
                """,
                """
                CREATE TABLE cohorts_offering (
                    cohort TEXT NOT NULL, course TEXT NOT NULL, lead_provider TEXT NOT NULL,
                    definition TEXT NOT NULL, accepted INTEGER NOT NULL DEFAULT 0, target_reached_at TEXT,
                    updated_by TEXT NOT NULL, updated_at TEXT NOT NULL,
                    PRIMARY KEY (cohort, course, lead_provider))
                """,
                """
                CREATE TABLE cohorts_acceptance (
                    application_id TEXT PRIMARY KEY, cohort TEXT NOT NULL, course TEXT NOT NULL,
                    lead_provider TEXT NOT NULL, schedule TEXT NOT NULL, accepted_on TEXT NOT NULL,
                    expected_outcome TEXT, scheduled_at TEXT NOT NULL)
                """,
                "CREATE INDEX cohorts_acceptance_cohort ON cohorts_acceptance (cohort)",
                """
                CREATE TABLE cohorts_registration_announcement (
                    cohort TEXT NOT NULL, announcement TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    PRIMARY KEY (cohort, announcement))
                """,
                """
                CREATE TABLE cohorts_reference_import (
                    file TEXT NOT NULL, entry TEXT NOT NULL, definition TEXT NOT NULL, imported_at TEXT NOT NULL,
                    PRIMARY KEY (file, entry))
                """,
                """
                CREATE TABLE cohorts_change (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, entry TEXT NOT NULL,
                    definition TEXT NOT NULL, changed_by TEXT NOT NULL, changed_at TEXT NOT NULL)
                """,
            ])
    ]

    // MARK: - Encoding

    static func encode<T: Encodable>(_ value: T) throws -> String { try StoredJSON.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try StoredJSON.decode(type, text) }

    /// The definitions stored in `table` whose columns equal `filters`, ordered by `orderBy`.
    private static func definitions<T: Decodable>(
        _ type: T.Type, in table: String, where filters: [(String, String)] = [], orderBy: [String],
        database: any SQLDatabase
    ) async throws -> [T] {
        var query = database.select().column("definition").from(table)
        for (column, value) in filters { query = query.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        for column in orderBy { query = query.orderBy(column) }
        return try await query.all().map { try decode(type, try $0.decode(column: "definition", as: String.self)) }
    }

    static func timestamp(_ date: Date) -> String { RFC3339.format(date) }

    // MARK: - Courses and lead providers

    static func courses(in database: any SQLDatabase) async throws -> [Course] {
        try await definitions(Course.self, in: "cohorts_course", orderBy: ["identifier"], database: database)
    }

    static func course(_ identifier: String, in database: any SQLDatabase) async throws -> Course? {
        try await definitions(
            Course.self, in: "cohorts_course", where: [("identifier", identifier)], orderBy: [], database: database
        ).first
    }

    static func save(_ course: Course, in database: any SQLDatabase) async throws {
        try await upsert(
            "cohorts_course", keys: ["identifier": course.identifier], values: ["definition": try encode(course)],
            in: database)
    }

    static func leadProvider(_ identifier: String, in database: any SQLDatabase) async throws -> LeadProvider? {
        try await definitions(
            LeadProvider.self, in: "cohorts_lead_provider", where: [("identifier", identifier)], orderBy: [],
            database: database
        ).first
    }

    static func save(_ provider: LeadProvider, in database: any SQLDatabase) async throws {
        try await upsert(
            "cohorts_lead_provider", keys: ["identifier": provider.identifier],
            values: ["definition": try encode(provider)], in: database)
    }

    // MARK: - Cohorts

    static func cohorts(in database: any SQLDatabase) async throws -> [Cohort] {
        try await definitions(Cohort.self, in: "cohorts_cohort", orderBy: ["identifier"], database: database)
    }

    static func cohort(_ identifier: String, in database: any SQLDatabase) async throws -> Cohort? {
        try await definitions(
            Cohort.self, in: "cohorts_cohort", where: [("identifier", identifier)], orderBy: [], database: database
        ).first
    }

    static func save(_ cohort: Cohort, by user: String, at time: Date, in database: any SQLDatabase) async throws {
        try await upsert(
            "cohorts_cohort", keys: ["identifier": cohort.identifier],
            values: ["definition": try encode(cohort), "defined_by": user, "defined_at": timestamp(time)],
            in: database)
    }

    // MARK: - Schedules

    static func schedules(cohort: String? = nil, in database: any SQLDatabase) async throws -> [Schedule] {
        try await definitions(
            Schedule.self, in: "cohorts_schedule", where: cohort.map { [("cohort", $0)] } ?? [],
            orderBy: ["cohort", "identifier"], database: database)
    }

    static func save(_ schedule: Schedule, by user: String, at time: Date, in database: any SQLDatabase) async throws {
        try await upsert(
            "cohorts_schedule", keys: ["cohort": schedule.cohort, "identifier": schedule.identifier],
            values: ["definition": try encode(schedule), "defined_by": user, "defined_at": timestamp(time)],
            in: database)
    }

    // MARK: - Offerings

    /// An offering with its count of accepted applications and whether its current target has been reached.
    struct OfferingRecord: Sendable {
        var offering: Offering
        var accepted: Int
        var targetReached: Bool

        var details: OfferingDetails { offering.details(acceptedApplications: accepted) }
    }

    static func offerings(cohort: String? = nil, in database: any SQLDatabase) async throws -> [OfferingRecord] {
        var query = database.select().columns("definition", "accepted", "target_reached_at").from("cohorts_offering")
        if let cohort { query = query.where("cohort", .equal, cohort) }
        let rows = try await query.orderBy("cohort").orderBy("course").orderBy("lead_provider").all()
        return try rows.map(record)
    }

    static func offering(
        cohort: String, course: String, leadProvider: String, in database: any SQLDatabase
    )
        async throws -> OfferingRecord?
    {
        try await database.select().columns("definition", "accepted", "target_reached_at").from("cohorts_offering")
            .where("cohort", .equal, cohort).where("course", .equal, course)
            .where("lead_provider", .equal, leadProvider).first().map(record)
    }

    private static func record(_ row: any SQLRow) throws -> OfferingRecord {
        OfferingRecord(
            offering: try decode(Offering.self, try row.decode(column: "definition", as: String.self)),
            accepted: try row.decode(column: "accepted", as: Int.self),
            targetReached: try row.decode(column: "target_reached_at", as: String?.self) != nil)
    }

    /// Saves an offering's definition, keeping its count; a changed target may be reached again.
    static func save(_ offering: Offering, by user: String, at time: Date, in database: any SQLDatabase) async throws {
        let existing = try await self.offering(
            cohort: offering.cohort, course: offering.course, leadProvider: offering.leadProvider, in: database)
        let definition = try encode(offering)
        if let existing {
            var update = database.update("cohorts_offering").set("definition", to: definition)
                .set("updated_by", to: user).set("updated_at", to: timestamp(time))
            if existing.offering.recruitmentTarget != offering.recruitmentTarget {
                update = update.set("target_reached_at", to: SQLLiteral.null)
            }
            try await update.where("cohort", .equal, offering.cohort).where("course", .equal, offering.course)
                .where("lead_provider", .equal, offering.leadProvider).run()
        } else {
            try await database.insert(into: "cohorts_offering")
                .columns("cohort", "course", "lead_provider", "definition", "updated_by", "updated_at")
                .values(
                    SQLBind(offering.cohort), SQLBind(offering.course), SQLBind(offering.leadProvider),
                    SQLBind(definition), SQLBind(user), SQLBind(timestamp(time))
                ).run()
        }
    }

    /// Adds one acceptance to an offering's count and returns the new count.
    static func countAcceptance(_ offering: Offering, in database: any SQLDatabase) async throws -> Int {
        try await database.raw(
            """
            UPDATE cohorts_offering SET accepted = accepted + 1
            WHERE cohort = \(bind: offering.cohort) AND course = \(bind: offering.course)
            AND lead_provider = \(bind: offering.leadProvider)
            """
        ).run()
        return try await self.offering(
            cohort: offering.cohort, course: offering.course, leadProvider: offering.leadProvider, in: database)?
            .accepted ?? 0
    }

    static func markTargetReached(_ offering: Offering, at time: Date, in database: any SQLDatabase) async throws {
        try await database.update("cohorts_offering").set("target_reached_at", to: timestamp(time))
            .where("cohort", .equal, offering.cohort).where("course", .equal, offering.course)
            .where("lead_provider", .equal, offering.leadProvider).run()
    }

    // MARK: - Acceptances

    /// Where an application was last accepted and scheduled.
    struct AcceptanceRecord: Sendable {
        var cohort: String
        var course: String
        var leadProvider: String
        var schedule: String
    }

    static func acceptance(_ applicationID: UUID, in database: any SQLDatabase) async throws -> AcceptanceRecord? {
        try await database.select().columns("cohort", "course", "lead_provider", "schedule").from("cohorts_acceptance")
            .where("application_id", .equal, applicationID.uuidString.lowercased()).first()
            .map { row in
                AcceptanceRecord(
                    cohort: try row.decode(column: "cohort", as: String.self),
                    course: try row.decode(column: "course", as: String.self),
                    leadProvider: try row.decode(column: "lead_provider", as: String.self),
                    schedule: try row.decode(column: "schedule", as: String.self))
            }
    }

    /// Takes one acceptance off an offering's count (the application was accepted again elsewhere).
    static func uncountAcceptance(
        cohort: String, course: String, leadProvider: String, in database: any SQLDatabase
    )
        async throws
    {
        try await database.raw(
            """
            UPDATE cohorts_offering SET accepted = MAX(accepted - 1, 0)
            WHERE cohort = \(bind: cohort) AND course = \(bind: course) AND lead_provider = \(bind: leadProvider)
            """
        ).run()
    }

    static func acceptedApplications(cohort: String, in database: any SQLDatabase) async throws -> Int {
        try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("cohorts_acceptance").where("cohort", .equal, cohort).first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    static func recordAcceptance(
        _ event: ApplicationAccepted, assignment: ScheduleAssignment, acceptedOn: CalendarDate, at time: Date,
        in database: any SQLDatabase
    ) async throws {
        let columns = [
            "cohort", "course", "lead_provider", "schedule", "accepted_on", "expected_outcome", "scheduled_at",
        ]
        try await database.insert(into: "cohorts_acceptance")
            .columns(["application_id"] + columns)
            .values(
                SQLBind(event.applicationID.uuidString.lowercased()), SQLBind(event.cohort), SQLBind(event.course),
                SQLBind(event.leadProvider), SQLBind(assignment.schedule.identifier), SQLBind(acceptedOn.description),
                SQLBind(assignment.expectedOutcomeDate?.description), SQLBind(timestamp(time))
            )
            .onConflict(with: ["application_id"]) { conflict in
                var update = conflict
                for column in columns { update = update.set(excludedValueOf: column) }
                return update
            }
            .run()
    }

    // MARK: - Registration announcements

    static func announcements(
        cohort: String, in database: any SQLDatabase
    ) async throws -> Set<RegistrationAnnouncement> {
        let rows = try await database.select().column("announcement").from("cohorts_registration_announcement")
            .where("cohort", .equal, cohort).all()
        return Set(
            try rows.compactMap {
                RegistrationAnnouncement(rawValue: try $0.decode(column: "announcement", as: String.self))
            })
    }

    static func record(
        _ announcement: RegistrationAnnouncement, cohort: String, at time: Date, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "cohorts_registration_announcement")
            .columns("cohort", "announcement", "recorded_at")
            .values(SQLBind(cohort), SQLBind(announcement.rawValue), SQLBind(timestamp(time))).run()
    }

    // MARK: - Reference file imports and the change log

    /// The definition last imported from a file entry, if any.
    static func importedDefinition(file: String, entry: String, in database: any SQLDatabase) async throws -> String? {
        try await database.select().column("definition").from("cohorts_reference_import")
            .where("file", .equal, file).where("entry", .equal, entry).first()?
            .decode(column: "definition", as: String.self)
    }

    static func recordImport(
        file: String, entry: String, definition: String, at time: Date, in database: any SQLDatabase
    ) async throws {
        try await upsert(
            "cohorts_reference_import", keys: ["file": file, "entry": entry],
            values: ["definition": definition, "imported_at": timestamp(time)], in: database)
    }

    /// Appends to the audit trail of definitions: what changed, to what, by whom and when.
    static func logChange(
        kind: String, entry: String, definition: String, by user: String, at time: Date, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "cohorts_change")
            .columns("kind", "entry", "definition", "changed_by", "changed_at")
            .values(SQLBind(kind), SQLBind(entry), SQLBind(definition), SQLBind(user), SQLBind(timestamp(time))).run()
    }

    // MARK: - Helpers

    /// Inserts a row, or updates its values when a row with the same keys exists.
    private static func upsert(
        _ table: String, keys: [String: String], values: [String: String], in database: any SQLDatabase
    ) async throws {
        let keyColumns = keys.keys.sorted()
        let valueColumns = values.keys.sorted()
        try await database.insert(into: table)
            .columns(keyColumns + valueColumns)
            .values((keyColumns.map { keys[$0]! } + valueColumns.map { values[$0]! }).map { SQLBind($0) })
            .onConflict(with: keyColumns) { conflict in
                var update = conflict
                for column in valueColumns { update = update.set(excludedValueOf: column) }
                return update
            }
            .run()
    }
}
