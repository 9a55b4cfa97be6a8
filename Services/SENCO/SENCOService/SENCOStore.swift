import Foundation
import MessageContracts
import SENCODomain
import SQLKit
import ServiceRuntime

/// The SENCO service's tables and the queries on them.
///
/// A spell keeps its latest evaluation and `next_check_on`, the first day something about it may change; the sweep
/// reads spells through the index on that column, so a day's sweep touches only the spells due that day.
package enum SENCOStore {
    package static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 100, name: "senco spells, applications, reminders, history and the cohort calendar",
            statements: [
                """
                CREATE TABLE senco_spell (
                    spell_id TEXT PRIMARY KEY, school_urn TEXT NOT NULL, person_key TEXT NOT NULL, trn TEXT,
                    email TEXT NOT NULL, name TEXT NOT NULL, school_type TEXT NOT NULL, appointed_on TEXT NOT NULL,
                    date_precision TEXT NOT NULL, ended_on TEXT, prior_service TEXT NOT NULL,
                    qualifications TEXT NOT NULL, status TEXT NOT NULL, deadline TEXT, evaluation TEXT NOT NULL,
                    evaluated_on TEXT NOT NULL, next_check_on TEXT, last_routine_on TEXT,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    UNIQUE (school_urn, person_key, appointed_on))
                """,
                "CREATE INDEX senco_spell_next_check ON senco_spell (next_check_on)",
                "CREATE INDEX senco_spell_person ON senco_spell (person_key)",
                "CREATE INDEX senco_spell_school_email ON senco_spell (school_urn, email)",
                "CREATE INDEX senco_spell_status ON senco_spell (status, deadline)",
                """
                CREATE TABLE senco_application (
                    application_id TEXT PRIMARY KEY, trn TEXT, email TEXT NOT NULL, school_urn TEXT,
                    cohort TEXT NOT NULL, accepted INTEGER NOT NULL DEFAULT 0, course_start TEXT,
                    expected_outcome TEXT, outcome TEXT, outcome_on TEXT, updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX senco_application_trn ON senco_application (trn)",
                "CREATE INDEX senco_application_school_email ON senco_application (school_urn, email)",
                """
                CREATE TABLE senco_reminder (
                    spell_id TEXT NOT NULL, reminder_key TEXT NOT NULL, kind TEXT NOT NULL, due_on TEXT NOT NULL,
                    state TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (spell_id, reminder_key))
                """,
                """
                CREATE TABLE senco_status_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, spell_id TEXT NOT NULL, from_status TEXT,
                    to_status TEXT NOT NULL, on_date TEXT NOT NULL, reason TEXT NOT NULL, cause TEXT NOT NULL,
                    changed_at TEXT NOT NULL)
                """,
                "CREATE INDEX senco_status_history_spell ON senco_status_history (spell_id, id)",
                """
                CREATE TABLE senco_input (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, spell_id TEXT, application_id TEXT, kind TEXT NOT NULL,
                    source TEXT NOT NULL, detail TEXT NOT NULL, recorded_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE senco_cohort_window (
                    cohort TEXT PRIMARY KEY, registration_opens TEXT NOT NULL, registration_closes TEXT NOT NULL,
                    start_date TEXT NOT NULL)
                """,
                """
                CREATE TABLE senco_cohort_schedule (
                    cohort TEXT NOT NULL, schedule TEXT NOT NULL, start_date TEXT NOT NULL,
                    PRIMARY KEY (cohort, schedule))
                """,
            ])
    ]

    // MARK: - Spells

    /// A stored spell: who, where, and the inputs of its evaluation.
    package struct SpellRow: Sendable {
        package var spellID: UUID
        package var schoolURN: String
        package var personKey: String
        package var person: SENCOPerson
        package var schoolType: SchoolType
        package var appointedOn: CalendarDate
        package var datePrecision: DatePrecision
        package var endedOn: CalendarDate?
        package var priorService: [ServicePeriod]
        package var qualifications: [QualificationRecord]
        package var status: SENCOStatus
        package var evaluation: SENCOEvaluation?
        package var lastRoutineOn: CalendarDate?

        package init(
            spellID: UUID, schoolURN: String, personKey: String, person: SENCOPerson, schoolType: SchoolType,
            appointedOn: CalendarDate, datePrecision: DatePrecision, endedOn: CalendarDate?,
            priorService: [ServicePeriod], qualifications: [QualificationRecord], status: SENCOStatus,
            evaluation: SENCOEvaluation?, lastRoutineOn: CalendarDate?
        ) {
            self.spellID = spellID
            self.schoolURN = schoolURN
            self.personKey = personKey
            self.person = person
            self.schoolType = schoolType
            self.appointedOn = appointedOn
            self.datePrecision = datePrecision
            self.endedOn = endedOn
            self.priorService = priorService
            self.qualifications = qualifications
            self.status = status
            self.evaluation = evaluation
            self.lastRoutineOn = lastRoutineOn
        }
    }

    /// A stored row that does not hold what the service wrote (a bad id or date).
    struct CorruptRow: Error, CustomStringConvertible {
        let table: String
        let key: String
        var description: String { "a row of \(table) (\(key)) cannot be read" }
    }

    /// `trn:<TRN>` when known, otherwise `email:<lowercased email>`.
    package static func personKey(trn: String?, email: String) -> String {
        if let trn { "trn:\(trn)" } else { "email:\(email.lowercased())" }
    }

    static let spellColumns = [
        "spell_id", "school_urn", "person_key", "trn", "email", "name", "school_type", "appointed_on",
        "date_precision", "ended_on", "prior_service", "qualifications", "status", "evaluation", "last_routine_on",
    ]

    static func spell(from row: any SQLRow) throws -> SpellRow {
        func date(_ column: String) throws -> CalendarDate? {
            try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init)
        }
        let id = try row.decode(column: "spell_id", as: String.self)
        guard let spellID = UUID(uuidString: id), let appointed = try date("appointed_on") else {
            throw CorruptRow(table: "senco_spell", key: id)
        }
        return SpellRow(
            spellID: spellID,
            schoolURN: try row.decode(column: "school_urn", as: String.self),
            personKey: try row.decode(column: "person_key", as: String.self),
            person: SENCOPerson(
                name: try row.decode(column: "name", as: String.self),
                trn: try row.decode(column: "trn", as: String?.self),
                email: try row.decode(column: "email", as: String.self)),
            schoolType: SchoolType(rawValue: try row.decode(column: "school_type", as: String.self)) ?? .mainstream,
            appointedOn: appointed,
            datePrecision: DatePrecision(rawValue: try row.decode(column: "date_precision", as: String.self)) ?? .day,
            endedOn: try date("ended_on"),
            priorService: try decode([ServicePeriod].self, try row.decode(column: "prior_service", as: String.self)),
            qualifications: try decode(
                [QualificationRecord].self, try row.decode(column: "qualifications", as: String.self)),
            status: SENCOStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notEnrolled,
            evaluation: try? decode(SENCOEvaluation.self, try row.decode(column: "evaluation", as: String.self)),
            lastRoutineOn: try date("last_routine_on"))
    }

    static func spell(_ id: UUID, in database: any SQLDatabase) async throws -> SpellRow? {
        try await database.select().columns(spellColumns).from("senco_spell")
            .where("spell_id", .equal, id.uuidString.lowercased()).first().map(spell(from:))
    }

    static func spell(
        schoolURN: String, personKey: String, appointedOn: CalendarDate, in database: any SQLDatabase
    )
        async throws -> SpellRow?
    {
        try await database.select().columns(spellColumns).from("senco_spell")
            .where("school_urn", .equal, schoolURN).where("person_key", .equal, personKey)
            .where("appointed_on", .equal, appointedOn.description).first().map(spell(from:))
    }

    /// The spells at a school of the person a command names (by TRN, or by email when no TRN), latest first.
    static func spells(of reference: SENCOPersonReference, in database: any SQLDatabase) async throws -> [SpellRow] {
        var query = database.select().columns(spellColumns).from("senco_spell")
            .where("school_urn", .equal, reference.schoolURN)
        if let trn = reference.trn {
            query = query.where("trn", .equal, trn)
        } else if let email = reference.email {
            query = query.where("email", .equal, email.lowercased())
        } else {
            return []
        }
        return try await query.orderBy("appointed_on", .descending).all().map(spell(from:))
    }

    /// The spells with these ids that can be read; a row that cannot (edited by hand, say) is left out, for the
    /// caller to set aside.
    static func spells(ids: [UUID], in database: any SQLDatabase) async throws -> [SpellRow] {
        guard !ids.isEmpty else { return [] }
        return try await database.select().columns(spellColumns).from("senco_spell")
            .where("spell_id", .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0.uuidString.lowercased()) })))
            .all().compactMap { try? spell(from: $0) }
    }

    /// Puts spells off until `day` (spells the sweep could not read, so that they do not hold up the others).
    static func postpone(_ ids: [UUID], to day: CalendarDate, in database: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await database.update("senco_spell").set("next_check_on", to: day.description)
            .where("spell_id", .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0.uuidString.lowercased()) })))
            .run()
    }

    /// The person's spell at the school that has not ended, found by TRN or by email (so a TRN added later, or a
    /// corrected date, finds it); the latest if there are several.
    static func openSpell(
        schoolURN: String, trn: String?, email: String, in database: any SQLDatabase
    ) async throws
        -> SpellRow?
    {
        let query = database.select().columns(spellColumns).from("senco_spell").where("school_urn", .equal, schoolURN)
            .where("ended_on", .is, SQLLiteral.null)
        query.where { group in
            if let trn { group.orWhere("trn", .equal, trn) }
            return group.orWhere("email", .equal, email.lowercased())
        }
        return try await query.orderBy("appointed_on", .descending).first().map(spell(from:))
    }

    /// Every spell of these people.
    static func spells(personKeys: Set<String>, in database: any SQLDatabase) async throws -> [SpellRow] {
        guard !personKeys.isEmpty else { return [] }
        return try await database.select().columns(spellColumns).from("senco_spell")
            .where("person_key", .in, SQLGroupExpression(SQLList(personKeys.sorted().map { SQLBind($0) })))
            .orderBy("appointed_on").all().map(spell(from:))
    }

    /// Every spell of a person (all schools), earliest first.
    static func spells(personKey: String, in database: any SQLDatabase) async throws -> [SpellRow] {
        try await database.select().columns(spellColumns).from("senco_spell").where("person_key", .equal, personKey)
            .orderBy("appointed_on").all().map(spell(from:))
    }

    static func spells(schoolURN: String, in database: any SQLDatabase) async throws -> [SpellRow] {
        try await database.select().columns(spellColumns).from("senco_spell").where("school_urn", .equal, schoolURN)
            .orderBy("appointed_on", .descending).all().map(spell(from:))
    }

    /// The spells an application of the NPQ for SENCOs belongs to (see ``application(_:matches:)``).
    static func spellIDs(matching application: ApplicationRow, in database: any SQLDatabase) async throws -> [UUID] {
        let query = database.select().column("spell_id").from("senco_spell")
        if let trn = application.trn {
            query.where("trn", .equal, trn)
            if let school = application.schoolURN {
                query.orWhere { group in
                    group.where("school_urn", .equal, school).where("email", .equal, application.email)
                }
            }
        } else if let school = application.schoolURN {
            query.where("school_urn", .equal, school).where("email", .equal, application.email)
        } else {
            return []
        }
        return try await query.all().compactMap { UUID(uuidString: try $0.decode(column: "spell_id", as: String.self)) }
    }

    /// Spells whose next check is due on or before `day`, earliest first, using the index on `next_check_on`.
    package static func dueSpellIDs(
        on day: CalendarDate, limit: Int, in database: any SQLDatabase
    ) async throws -> [UUID] {
        try await dueSpellsQuery(on: day, limit: limit, in: database).all()
            .compactMap { UUID(uuidString: try $0.decode(column: "spell_id", as: String.self)) }
    }

    /// The selection of due spells (a test checks that SQLite answers it from the index).
    package static func dueSpellsQuery(
        on day: CalendarDate, limit: Int, in database: any SQLDatabase
    )
        -> SQLSelectBuilder
    {
        database.select().column("spell_id").from("senco_spell")
            .where("next_check_on", .lessThanOrEqual, day.description).orderBy("next_check_on").limit(limit)
    }

    /// Makes every spell still being watched due for a check on `day` (the cohort calendar changed).
    static func recheckActiveSpells(on day: CalendarDate, in database: any SQLDatabase) async throws {
        let active = SENCOStatus.allCases.filter(\.isActive).map { SQLBind($0.rawValue) }
        try await database.update("senco_spell").set("next_check_on", to: day.description)
            .where("status", .in, SQLGroupExpression(SQLList(active)))
            .where(SQLBinaryExpression(SQLColumn("next_check_on"), .greaterThan, SQLBind(day.description))).run()
    }

    /// Inserts a new spell, not yet evaluated: its first evaluation starts its history.
    package static func insert(
        _ spell: SpellRow, on day: CalendarDate, at time: Date, in database: any SQLDatabase
    )
        async throws
    {
        try await database.insert(into: "senco_spell")
            .columns(
                "spell_id", "school_urn", "person_key", "trn", "email", "name", "school_type", "appointed_on",
                "date_precision", "ended_on", "prior_service", "qualifications", "status", "deadline", "evaluation",
                "evaluated_on", "created_at", "updated_at"
            )
            .values(
                SQLBind(spell.spellID.uuidString.lowercased()), SQLBind(spell.schoolURN), SQLBind(spell.personKey),
                SQLBind(spell.person.trn), SQLBind(spell.person.email.lowercased()), SQLBind(spell.person.name),
                SQLBind(spell.schoolType.rawValue), SQLBind(spell.appointedOn.description),
                SQLBind(spell.datePrecision.rawValue), SQLBind(spell.endedOn?.description),
                SQLBind(try encode(spell.priorService)), SQLBind(try encode(spell.qualifications)),
                SQLBind(SENCOStatus.notEnrolled.rawValue), SQLBind(String?.none), SQLBind("{}"),
                SQLBind(day.description), SQLBind(RFC3339.format(time)),
                SQLBind(RFC3339.format(time))
            ).run()
    }

    /// Saves a spell's inputs (what a command changed).
    static func updateInputs(_ spell: SpellRow, at time: Date, in database: any SQLDatabase) async throws {
        try await database.update("senco_spell")
            .set("person_key", to: spell.personKey).set("trn", to: SQLBind(spell.person.trn))
            .set("appointed_on", to: spell.appointedOn.description)
            .set("name", to: spell.person.name).set("email", to: spell.person.email.lowercased())
            .set("school_type", to: spell.schoolType.rawValue).set("date_precision", to: spell.datePrecision.rawValue)
            .set("ended_on", to: SQLBind(spell.endedOn?.description))
            .set("prior_service", to: try encode(spell.priorService))
            .set("qualifications", to: try encode(spell.qualifications)).set("updated_at", to: RFC3339.format(time))
            .where("spell_id", .equal, spell.spellID.uuidString.lowercased()).run()
    }

    /// What re-evaluating spells writes, gathered so that a batch of spells is written in a few statements.
    struct Writes: Sendable {
        /// One spell's new evaluation and when to look at it next.
        struct Evaluation: Sendable {
            var spellID: UUID
            var evaluation: SENCOEvaluation
            var day: CalendarDate
            var nextCheck: CalendarDate?
            var lastRoutineOn: CalendarDate?
        }
        var evaluations: [Evaluation] = []
        var history: [(UUID, SENCOStatusChange)] = []
        /// Reminders with their state, `sent` or `passed_over`.
        var reminders: [(UUID, SENCOReminder, String)] = []
    }

    /// Writes `writes`: the evaluations with one `UPDATE … FROM (VALUES …)` per 400 spells, the history and the
    /// reminders with multi-row inserts.
    static func apply(_ writes: Writes, at time: Date, in database: any SQLDatabase) async throws {
        let now = RFC3339.format(time)
        for chunk in writes.evaluations.chunked(400) {
            var query = SQLQueryString(
                "UPDATE senco_spell SET status = v.column2, deadline = v.column3, evaluation = v.column4, "
                    + "evaluated_on = v.column5, next_check_on = v.column6, last_routine_on = v.column7 FROM (VALUES ")
            for (index, item) in chunk.enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(
                    "(\(bind: item.spellID.uuidString.lowercased()), \(bind: item.evaluation.status.rawValue), "
                        + "\(bind: item.evaluation.deadline?.description), \(bind: try encode(item.evaluation)), "
                        + "\(bind: item.day.description), \(bind: item.nextCheck?.description), "
                        + "\(bind: item.lastRoutineOn?.description))" as SQLQueryString)
            }
            query.appendLiteral(") AS v WHERE senco_spell.spell_id = v.column1")
            try await database.raw(query).run()
        }
        for chunk in writes.history.chunked(400) {
            let insert = database.insert(into: "senco_status_history")
                .columns("spell_id", "from_status", "to_status", "on_date", "reason", "cause", "changed_at")
            for (spellID, change) in chunk {
                insert.values(
                    SQLBind(spellID.uuidString.lowercased()), SQLBind(change.from?.rawValue),
                    SQLBind(change.to.rawValue),
                    SQLBind(change.on.description), SQLBind(change.reason), SQLBind(change.cause), SQLBind(now))
            }
            try await insert.run()
        }
        for chunk in writes.reminders.chunked(400) {
            let insert = database.insert(into: "senco_reminder")
                .columns("spell_id", "reminder_key", "kind", "due_on", "state", "recorded_at")
            for (spellID, reminder, state) in chunk {
                insert.values(
                    SQLBind(spellID.uuidString.lowercased()), SQLBind(reminder.key), SQLBind(reminder.kind.rawValue),
                    SQLBind(reminder.dueOn.description), SQLBind(state), SQLBind(now))
            }
            try await insert.run()
        }
    }

    // MARK: - Applications of the NPQ for SENCOs

    /// An application for the NPQ for SENCOs as far as this service knows it: who (to match spells), the cohort,
    /// whether it is accepted, its dates and its outcome.
    struct ApplicationRow: Sendable {
        var applicationID: UUID
        var trn: String?
        var email: String
        var schoolURN: String?
        var cohort: String
        var accepted: Bool
        var courseStart: CalendarDate?
        var expectedOutcome: CalendarDate?
        var outcome: AssessmentOutcome?
        var outcomeOn: CalendarDate?
    }

    private static let applicationColumns = [
        "application_id", "trn", "email", "school_urn", "cohort", "accepted", "course_start", "expected_outcome",
        "outcome", "outcome_on",
    ]

    private static func application(from row: any SQLRow) throws -> ApplicationRow {
        func date(_ column: String) throws -> CalendarDate? {
            try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init)
        }
        return ApplicationRow(
            applicationID: UUID(uuidString: try row.decode(column: "application_id", as: String.self))!,
            trn: try row.decode(column: "trn", as: String?.self),
            email: try row.decode(column: "email", as: String.self),
            schoolURN: try row.decode(column: "school_urn", as: String?.self),
            cohort: try row.decode(column: "cohort", as: String.self),
            accepted: try row.decode(column: "accepted", as: Int.self) != 0, courseStart: try date("course_start"),
            expectedOutcome: try date("expected_outcome"),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(AssessmentOutcome.init),
            outcomeOn: try date("outcome_on"))
    }

    static func application(_ id: UUID, in database: any SQLDatabase) async throws -> ApplicationRow? {
        try await database.select().columns(applicationColumns).from("senco_application")
            .where("application_id", .equal, id.uuidString.lowercased()).first().map(application(from:))
    }

    /// The applications of a spell's person: by TRN, or by school and email.
    static func applications(for spell: SpellRow, in database: any SQLDatabase) async throws -> [ApplicationRow] {
        let query = database.select().columns(applicationColumns).from("senco_application")
        if let trn = spell.person.trn {
            query.where("trn", .equal, trn).orWhere { group in
                group.where("trn", .is, SQLLiteral.null).where("school_urn", .equal, spell.schoolURN)
                    .where("email", .equal, spell.person.email.lowercased())
            }
        } else {
            query.where("school_urn", .equal, spell.schoolURN).where("email", .equal, spell.person.email.lowercased())
        }
        return try await query.orderBy("updated_at").all().map(application(from:))
    }

    /// The applications with one of these TRNs or at one of these schools (to be matched to spells with
    /// ``application(_:matches:)``), oldest change first.
    static func applications(
        trns: Set<String>, schools: Set<String>, in database: any SQLDatabase
    ) async throws
        -> [ApplicationRow]
    {
        guard !trns.isEmpty || !schools.isEmpty else { return [] }
        let query = database.select().columns(applicationColumns).from("senco_application")
        query.where { group in
            if !trns.isEmpty {
                group.orWhere("trn", .in, SQLGroupExpression(SQLList(trns.sorted().map { SQLBind($0) })))
            }
            if !schools.isEmpty {
                group.orWhere("school_urn", .in, SQLGroupExpression(SQLList(schools.sorted().map { SQLBind($0) })))
            }
            return group
        }
        return try await query.orderBy("updated_at").all().map(application(from:))
    }

    /// Whether an application belongs to a spell: the same TRN, or, when the application has no TRN, the same school
    /// and email (as ``applications(for:in:)`` selects).
    static func application(_ application: ApplicationRow, matches spell: SpellRow) -> Bool {
        if let trn = spell.person.trn, application.trn == trn { return true }
        return (spell.person.trn == nil || application.trn == nil) && application.schoolURN == spell.schoolURN
            && application.email == spell.person.email.lowercased()
    }

    static func save(_ application: ApplicationRow, at time: Date, in database: any SQLDatabase) async throws {
        let values: [(String, SQLBind)] = [
            ("trn", SQLBind(application.trn)), ("email", SQLBind(application.email.lowercased())),
            ("school_urn", SQLBind(application.schoolURN)), ("cohort", SQLBind(application.cohort)),
            ("accepted", SQLBind(application.accepted ? 1 : 0)),
            ("course_start", SQLBind(application.courseStart?.description)),
            ("expected_outcome", SQLBind(application.expectedOutcome?.description)),
            ("outcome", SQLBind(application.outcome?.rawValue)),
            ("outcome_on", SQLBind(application.outcomeOn?.description)),
            ("updated_at", SQLBind(RFC3339.format(time))),
        ]
        try await database.insert(into: "senco_application")
            .columns(["application_id"] + values.map(\.0))
            .values([SQLBind(application.applicationID.uuidString.lowercased())] + values.map(\.1))
            .onConflict(with: ["application_id"]) { conflict in
                var update = conflict
                for (column, _) in values { update = update.set(excludedValueOf: column) }
                return update
            }
            .run()
    }

    // MARK: - Reminders, history, inputs

    static func reminderKeys(_ spellID: UUID, in database: any SQLDatabase) async throws -> Set<String> {
        Set(
            try await database.select().column("reminder_key").from("senco_reminder")
                .where("spell_id", .equal, spellID.uuidString.lowercased()).all()
                .map { try $0.decode(column: "reminder_key", as: String.self) })
    }

    /// The reminder keys of each of these spells.
    static func reminderKeys(_ spellIDs: Set<UUID>, in database: any SQLDatabase) async throws -> [UUID: Set<String>] {
        guard !spellIDs.isEmpty else { return [:] }
        var keys: [UUID: Set<String>] = [:]
        for row in try await database.select().columns("spell_id", "reminder_key").from("senco_reminder")
            .where(
                "spell_id", .in, SQLGroupExpression(SQLList(spellIDs.map { SQLBind($0.uuidString.lowercased()) }))
            ).all()
        {
            guard let id = UUID(uuidString: try row.decode(column: "spell_id", as: String.self)) else { continue }
            keys[id, default: []].insert(try row.decode(column: "reminder_key", as: String.self))
        }
        return keys
    }

    static func record(
        _ reminder: SENCOReminder, spellID: UUID, state: String, at time: Date, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "senco_reminder")
            .columns("spell_id", "reminder_key", "kind", "due_on", "state", "recorded_at")
            .values(
                SQLBind(spellID.uuidString.lowercased()), SQLBind(reminder.key), SQLBind(reminder.kind.rawValue),
                SQLBind(reminder.dueOn.description), SQLBind(state), SQLBind(RFC3339.format(time))
            ).run()
    }

    static func history(_ spellID: UUID, in database: any SQLDatabase) async throws -> [SENCOStatusChange] {
        try await database.select().columns("from_status", "to_status", "on_date", "reason", "cause")
            .from("senco_status_history").where("spell_id", .equal, spellID.uuidString.lowercased()).orderBy("id").all()
            .map { row in
                SENCOStatusChange(
                    from: try row.decode(column: "from_status", as: String?.self).flatMap(SENCOStatus.init),
                    to: SENCOStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .notEnrolled,
                    on: CalendarDate(try row.decode(column: "on_date", as: String.self))!,
                    reason: try row.decode(column: "reason", as: String.self),
                    cause: try row.decode(column: "cause", as: String.self))
            }
    }

    /// Rule 14: every input that can change a result, with its source and time.
    static func recordInput(
        kind: String, spellID: UUID?, applicationID: UUID?, source: String, detail: String, at time: Date,
        in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "senco_input")
            .columns("spell_id", "application_id", "kind", "source", "detail", "recorded_at")
            .values(
                SQLBind(spellID?.uuidString.lowercased()), SQLBind(applicationID?.uuidString.lowercased()),
                SQLBind(kind), SQLBind(source), SQLBind(detail), SQLBind(RFC3339.format(time))
            ).run()
    }

    // MARK: - Overview

    static func counts(in database: any SQLDatabase) async throws -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SENCOStatus.allCases.map { ($0.rawValue, 0) })
        for row in try await database.select().column("status").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .from("senco_spell").groupBy("status").all() {
            counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    static func summaries(
        status: SENCOStatus, limit: Int, in database: any SQLDatabase
    ) async throws
        -> [SENCOSpellSummary]
    {
        try await database.select().columns("spell_id", "school_urn", "status", "deadline", "evaluation")
            .from("senco_spell").where("status", .equal, status.rawValue).orderBy("deadline").limit(limit).all()
            .map { row in
                let evaluation = try? decode(
                    SENCOEvaluation.self, try row.decode(column: "evaluation", as: String.self))
                return SENCOSpellSummary(
                    spellID: UUID(uuidString: try row.decode(column: "spell_id", as: String.self))!,
                    schoolURN: try row.decode(column: "school_urn", as: String.self), status: status,
                    deadline: try row.decode(column: "deadline", as: String?.self).flatMap(CalendarDate.init),
                    recommendedCohort: evaluation?.recommendedCohort)
            }
    }

    // MARK: - The cohort calendar

    package static func cohortOptions(in database: any SQLDatabase) async throws -> [CohortOption] {
        try await database.select()
            .columns(
                SQLColumn("cohort", table: "w"), SQLColumn("start_date", table: "s"),
                SQLColumn("registration_opens", table: "w"), SQLColumn("registration_closes", table: "w")
            )
            .from(SQLAlias(SQLIdentifier("senco_cohort_window"), as: SQLIdentifier("w")))
            .join(
                SQLAlias(SQLIdentifier("senco_cohort_schedule"), as: SQLIdentifier("s")),
                on: SQLColumn("cohort", table: "s"), .equal, SQLColumn("cohort", table: "w")
            )
            .all()
            .map { row in
                CohortOption(
                    cohort: try row.decode(column: "cohort", as: String.self),
                    startDate: CalendarDate(try row.decode(column: "start_date", as: String.self))!,
                    registrationOpens: CalendarDate(try row.decode(column: "registration_opens", as: String.self))!,
                    registrationCloses: CalendarDate(try row.decode(column: "registration_closes", as: String.self))!)
            }
            .sorted { ($0.startDate, $0.cohort) < ($1.startDate, $1.cohort) }
    }

    static func hasCohorts(in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column(SQLLiteral.numeric("1")).from("senco_cohort_window").first() != nil
    }

    package static func saveWindow(
        cohort: String, opens: CalendarDate, closes: CalendarDate, start: CalendarDate, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "senco_cohort_window")
            .columns("cohort", "registration_opens", "registration_closes", "start_date")
            .values(
                SQLBind(cohort), SQLBind(opens.description), SQLBind(closes.description), SQLBind(start.description)
            )
            .onConflict(with: ["cohort"]) {
                $0.set(excludedValueOf: "registration_opens").set(excludedValueOf: "registration_closes")
                    .set(excludedValueOf: "start_date")
            }
            .run()
    }

    package static func saveSchedule(
        cohort: String, schedule: String, start: CalendarDate, in database: any SQLDatabase
    )
        async throws
    {
        try await database.insert(into: "senco_cohort_schedule").columns("cohort", "schedule", "start_date")
            .values(SQLBind(cohort), SQLBind(schedule), SQLBind(start.description))
            .onConflict(with: ["cohort", "schedule"]) { $0.set(excludedValueOf: "start_date") }
            .run()
    }

    // MARK: - Encoding

    static func encode<T: Encodable>(_ value: T) throws -> String { try StoredJSON.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try StoredJSON.decode(type, text) }
}
