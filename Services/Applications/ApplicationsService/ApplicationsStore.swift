import ApplicationsDomain
import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// The applications service's tables: the applications (their state machines as JSON, the submission, the funding
/// decision) and what it knows of the cohort reference data (courses, cohorts, offerings, schedules), learned from
/// the cohorts service's events and seeded at first start from the reference files.
enum ApplicationsStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 100, name: "applications and the cohort reference data they are checked against",
            statements: [
                """
                CREATE TABLE applications_application (
                    application_id TEXT PRIMARY KEY, person_key TEXT NOT NULL, trn TEXT, course TEXT NOT NULL,
                    same_course TEXT NOT NULL, lead_provider TEXT NOT NULL, cohort TEXT NOT NULL,
                    approval TEXT NOT NULL, state TEXT NOT NULL, submission TEXT NOT NULL, funding TEXT,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX applications_person ON applications_application (person_key, same_course, cohort)",
                "CREATE INDEX applications_trn ON applications_application (trn, same_course, cohort)",
                "CREATE INDEX applications_provider ON applications_application (lead_provider, cohort, updated_at)",
                """
                CREATE TABLE applications_course (
                    identifier TEXT PRIMARY KEY, course_group TEXT NOT NULL, hidden INTEGER NOT NULL)
                """,
                """
                CREATE TABLE applications_cohort (
                    cohort TEXT PRIMARY KEY, funding_mode TEXT NOT NULL, registration_opens TEXT NOT NULL,
                    registration_closes TEXT NOT NULL)
                """,
                """
                CREATE TABLE applications_offering (
                    cohort TEXT NOT NULL, course TEXT NOT NULL, lead_provider TEXT NOT NULL, offered INTEGER NOT NULL,
                    PRIMARY KEY (cohort, course, lead_provider))
                """,
                """
                CREATE TABLE applications_schedule (
                    cohort TEXT NOT NULL, schedule TEXT NOT NULL, course_group TEXT NOT NULL,
                    PRIMARY KEY (cohort, schedule))
                """,
            ]),
        SQLMigration(
            version: 101, name: "when the funding was decided, expressions of interest, expiry by cohort",
            statements: [
                "ALTER TABLE applications_application ADD COLUMN funding_assessed_at TEXT",
                "CREATE INDEX applications_cohort_approval ON applications_application (cohort, approval)",
                """
                CREATE TABLE applications_interest (
                    interest_id TEXT PRIMARY KEY, email_key TEXT NOT NULL, full_name TEXT NOT NULL,
                    email TEXT NOT NULL, course TEXT NOT NULL, lead_provider TEXT, registered_by TEXT NOT NULL,
                    registered_at TEXT NOT NULL, UNIQUE (email_key, course))
                """,
                "CREATE INDEX applications_interest_course ON applications_interest (course)",
                """
                CREATE TABLE applications_interest_told (
                    interest_id TEXT NOT NULL, cohort TEXT NOT NULL, told_at TEXT NOT NULL,
                    PRIMARY KEY (interest_id, cohort))
                """,
            ]),
        SQLMigration(
            version: 102, name: "cohorts' definition times",
            statements: ["ALTER TABLE applications_cohort ADD COLUMN defined_at TEXT"]),
    ]

    // MARK: - Applications

    /// A stored application: its state machines, what was submitted, and the funding decision once made.
    struct Record: Sendable {
        var application: Application
        var submission: ApplicationSubmit
        var funding: FundingOutcome?
        /// When it last changed (RFC 3339, UTC), as stored.
        var updatedAt: String = ""
        /// When the funding decision kept was made (its `assessedAt`): an older decision arriving late is ignored.
        var fundingAssessedAt: Date? = nil
    }

    private static let recordColumns = ["state", "submission", "funding", "updated_at", "funding_assessed_at"]
    /// ``recordColumns`` as a select list, joined once.
    private static let recordColumnList = recordColumns.joined(separator: ", ")

    // The statements run for every application are written out as SQL: SQLKit's builders cost more to turn into
    // SQL text than SQLite takes to run them (escaping every identifier, on every call).

    static func record(_ id: UUID, in database: any SQLDatabase) async throws -> Record? {
        try await database.raw(
            """
            SELECT \(unsafeRaw: recordColumnList) FROM applications_application \
            WHERE application_id = \(bind: id.uuidString.lowercased())
            """
        ).first().map(record(from:))
    }

    private static func record(from row: any SQLRow) throws -> Record {
        Record(
            application: try decode(Application.self, try row.decode(column: "state", as: String.self)),
            submission: try decode(ApplicationSubmit.self, try row.decode(column: "submission", as: String.self)),
            funding: try row.decode(column: "funding", as: String?.self).map { try decode(FundingOutcome.self, $0) },
            updatedAt: try row.decode(column: "updated_at", as: String.self),
            fundingAssessedAt: try row.decode(column: "funding_assessed_at", as: String?.self).flatMap(RFC3339.parse))
    }

    /// A page of applications, oldest change first, after `cursor` (`updatedAt|applicationID`), using the index on
    /// (lead provider, cohort, updated at) when a provider asks.
    static func page(
        provider: String?, cohort: String?, updatedSince: Date?, after cursor: (String, String)?, limit: Int,
        in database: any SQLDatabase
    ) async throws -> [Record] {
        let query = database.select().columns(recordColumns).from("applications_application")
        if let provider { query.where("lead_provider", .equal, provider) }
        if let cohort { query.where("cohort", .equal, cohort) }
        if let updatedSince { query.where("updated_at", .greaterThanOrEqual, RFC3339.format(updatedSince)) }
        if let (time, id) = cursor {
            query.where { group in
                group.where("updated_at", .greaterThan, time).orWhere { tie in
                    tie.where("updated_at", .equal, time).where("application_id", .greaterThan, id)
                }
            }
        }
        return try await query.orderBy("updated_at").orderBy("application_id").limit(limit).all()
            .map(record(from:))
    }

    /// The applications of the same person (identity or TRN) for the same course (EHCO ≡ ASO) in the same cohort.
    static func samePersonCourseAndCohort(
        as application: Application, in database: any SQLDatabase
    ) async throws
        -> [Application]
    {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: recordColumnList) FROM applications_application \
            WHERE same_course = \(bind: CourseIdentity.canonical(application.course)) \
            AND cohort = \(bind: application.cohort) AND application_id <> \(bind: application.id.uuidString.lowercased()) \
            AND (person_key = \(bind: application.personKey)
            """
        if let trn = application.trn { query += " OR trn = \(bind: trn)" }
        query += ")"
        return try await database.raw(query).all().map { try record(from: $0).application }
    }

    static func insert(_ record: Record, at time: Date, in database: any SQLDatabase) async throws {
        let application = record.application
        let now = RFC3339.format(time)
        try await database.raw(
            """
            INSERT INTO applications_application (application_id, person_key, trn, course, same_course, \
            lead_provider, cohort, approval, state, submission, funding, created_at, updated_at) \
            VALUES (\(bind: application.id.uuidString.lowercased()), \(bind: application.personKey), \
            \(bind: application.trn), \(bind: application.course), \(bind: CourseIdentity.canonical(application.course)), \
            \(bind: application.leadProvider), \(bind: application.cohort), \(bind: application.approval.rawValue), \
            \(bind: try encode(application)), \(bind: try encode(record.submission)), \
            \(bind: try record.funding.map(encode)), \(bind: now), \(bind: now))
            """
        ).run()
    }

    static func update(_ record: Record, at time: Date, in database: any SQLDatabase) async throws {
        try await database.raw(
            """
            UPDATE applications_application SET approval = \(bind: record.application.approval.rawValue), \
            state = \(bind: try encode(record.application)), funding = \(bind: try record.funding.map(encode)), \
            funding_assessed_at = \(bind: record.fundingAssessedAt.map(RFC3339.format)), \
            updated_at = \(bind: RFC3339.format(time)) \
            WHERE application_id = \(bind: record.application.id.uuidString.lowercased())
            """
        ).run()
    }

    /// The pending applications of `cohort`.
    static func pending(cohort: String, in database: any SQLDatabase) async throws -> [Record] {
        try await database.select().columns(recordColumns).from("applications_application")
            .where("cohort", .equal, cohort).where("approval", .equal, ApprovalStatus.pending.rawValue)
            .orderBy("application_id").all().map(record(from:))
    }

    // MARK: - Expressions of interest

    struct Interest: Sendable {
        var id: UUID
        var fullName: String
        var email: String
        var course: String
        var leadProvider: String?
        var registeredAt: Date
    }

    private static let interestColumns = [
        "interest_id", "full_name", "email", "course", "lead_provider", "registered_at",
    ]

    private static func interest(from row: any SQLRow) throws -> Interest {
        Interest(
            id: UUID(uuidString: try row.decode(column: "interest_id", as: String.self))!,
            fullName: try row.decode(column: "full_name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            course: try row.decode(column: "course", as: String.self),
            leadProvider: try row.decode(column: "lead_provider", as: String?.self),
            registeredAt: RFC3339.parse(try row.decode(column: "registered_at", as: String.self)) ?? .distantPast)
    }

    /// The interest `email` (any case) registered in `course`, if any.
    static func interest(email: String, course: String, in database: any SQLDatabase) async throws -> Interest? {
        try await database.select().columns(interestColumns).from("applications_interest")
            .where("email_key", .equal, email.lowercased()).where("course", .equal, course).first()
            .map(interest(from:))
    }

    static func insertInterest(_ interest: Interest, by user: String, in database: any SQLDatabase) async throws {
        try await database.insert(into: "applications_interest")
            .columns(
                "interest_id", "email_key", "full_name", "email", "course", "lead_provider", "registered_by",
                "registered_at"
            )
            .values(
                SQLBind(interest.id.uuidString.lowercased()), SQLBind(interest.email.lowercased()),
                SQLBind(interest.fullName), SQLBind(interest.email), SQLBind(interest.course),
                SQLBind(interest.leadProvider), SQLBind(user), SQLBind(RFC3339.format(interest.registeredAt))
            ).run()
    }

    /// The interests in `courses` not yet told that `cohort` opened.
    static func interestsToTell(
        courses: [String], cohort: String, in database: any SQLDatabase
    ) async throws -> [Interest] {
        guard !courses.isEmpty else { return [] }
        return try await database.select().columns(interestColumns).from("applications_interest")
            .where("course", .in, courses)
            .where(
                SQLQueryString(
                    "NOT EXISTS (SELECT 1 FROM applications_interest_told t WHERE t.interest_id = applications_interest.interest_id AND t.cohort = \(bind: cohort))"
                )
            )
            .orderBy("interest_id").all().map(interest(from:))
    }

    static func markTold(_ ids: [UUID], cohort: String, at time: Date, in database: any SQLDatabase) async throws {
        for start in stride(from: 0, to: ids.count, by: 300) {
            let insert = database.insert(into: "applications_interest_told").columns("interest_id", "cohort", "told_at")
            for id in ids[start..<min(start + 300, ids.count)] {
                insert.values(SQLBind(id.uuidString.lowercased()), SQLBind(cohort), SQLBind(RFC3339.format(time)))
            }
            try await insert.ignoringConflicts(with: ["interest_id", "cohort"]).run()
        }
    }

    /// The cohorts open for registration on `day` that offer `course` (with any provider).
    static func openCohorts(
        offering course: String, on day: CalendarDate, in database: any SQLDatabase
    ) async throws
        -> [String]
    {
        try await database.select().distinct().column(SQLColumn("cohort", table: "c")).from(
            SQLAlias(SQLIdentifier("applications_cohort"), as: SQLIdentifier("c"))
        )
        .join(
            SQLAlias(SQLIdentifier("applications_offering"), as: SQLIdentifier("o")),
            on: SQLColumn("cohort", table: "o"), .equal, SQLColumn("cohort", table: "c")
        )
        .where(SQLColumn("course", table: "o"), .equal, SQLBind(course))
        .where(SQLColumn("offered", table: "o"), .equal, SQLBind(1))
        .where(SQLColumn("registration_opens", table: "c"), .lessThanOrEqual, SQLBind(day.description))
        .where(SQLColumn("registration_closes", table: "c"), .greaterThanOrEqual, SQLBind(day.description))
        .orderBy(SQLColumn("cohort", table: "c")).all()
        .map { try $0.decode(column: "cohort", as: String.self) }
    }

    /// Whether any offering names `leadProvider`: the providers the suite knows.
    static func isKnownProvider(_ leadProvider: String, in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column("lead_provider").from("applications_offering")
            .where("lead_provider", .equal, leadProvider).limit(1).first() != nil
    }

    // MARK: - Cohort reference data

    struct CohortRow: Sendable {
        var fundingMode: FundingMode
        var registrationOpens: CalendarDate
        var registrationCloses: CalendarDate
    }

    static func cohort(_ identifier: String, in database: any SQLDatabase) async throws -> CohortRow? {
        guard
            let row = try await database.raw(
                """
                SELECT funding_mode, registration_opens, registration_closes FROM applications_cohort \
                WHERE cohort = \(bind: identifier)
                """
            ).first(),
            let mode = FundingMode(rawValue: try row.decode(column: "funding_mode", as: String.self)),
            let opens = CalendarDate(try row.decode(column: "registration_opens", as: String.self)),
            let closes = CalendarDate(try row.decode(column: "registration_closes", as: String.self))
        else { return nil }
        return CohortRow(fundingMode: mode, registrationOpens: opens, registrationCloses: closes)
    }

    /// Keeps a cohort's definition; one older than the definition kept (a retried event) changes nothing.
    static func saveCohort(
        _ identifier: String, fundingMode: FundingMode, opens: CalendarDate, closes: CalendarDate,
        definedAt: Date? = nil, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "applications_cohort")
            .columns("cohort", "funding_mode", "registration_opens", "registration_closes", "defined_at")
            .values(
                SQLBind(identifier), SQLBind(fundingMode.rawValue), SQLBind(opens.description),
                SQLBind(closes.description), SQLBind(definedAt.map(RFC3339.format))
            )
            .onConflict(with: ["cohort"]) {
                $0.set(excludedValueOf: "funding_mode").set(excludedValueOf: "registration_opens")
                    .set(excludedValueOf: "registration_closes").set(excludedValueOf: "defined_at")
                    .where(
                        SQLQueryString(
                            "applications_cohort.defined_at IS NULL OR excluded.defined_at IS NULL OR excluded.defined_at >= applications_cohort.defined_at"
                        ))
            }
            .run()
    }

    /// The course's group and whether it is hidden, or `nil` for an unknown course.
    static func course(
        _ identifier: String, in database: any SQLDatabase
    ) async throws -> (group: CourseGroup, hidden: Bool)? {
        guard
            let row = try await database.raw(
                "SELECT course_group, hidden FROM applications_course WHERE identifier = \(bind: identifier)"
            ).first(),
            let group = CourseGroup(rawValue: try row.decode(column: "course_group", as: String.self))
        else { return nil }
        return (group, try row.decode(column: "hidden", as: Int.self) != 0)
    }

    static func saveCourse(
        _ identifier: String, group: CourseGroup, hidden: Bool, in database: any SQLDatabase
    )
        async throws
    {
        try await database.insert(into: "applications_course").columns("identifier", "course_group", "hidden")
            .values(SQLBind(identifier), SQLBind(group.rawValue), SQLBind(hidden ? 1 : 0))
            .onConflict(with: ["identifier"]) { $0.set(excludedValueOf: "course_group").set(excludedValueOf: "hidden") }
            .run()
    }

    static func isOffered(
        cohort: String, course: String, leadProvider: String, in database: any SQLDatabase
    )
        async throws -> Bool
    {
        try await database.raw(
            """
            SELECT offered FROM applications_offering WHERE cohort = \(bind: cohort) AND course = \(bind: course) \
            AND lead_provider = \(bind: leadProvider)
            """
        ).first()?.decode(column: "offered", as: Int.self) == 1
    }

    static func saveOffering(
        cohort: String, course: String, leadProvider: String, offered: Bool, in database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "applications_offering").columns("cohort", "course", "lead_provider", "offered")
            .values(SQLBind(cohort), SQLBind(course), SQLBind(leadProvider), SQLBind(offered ? 1 : 0))
            .onConflict(with: ["cohort", "course", "lead_provider"]) { $0.set(excludedValueOf: "offered") }
            .run()
    }

    /// The cohort's schedules with their course groups.
    static func schedules(cohort: String, in database: any SQLDatabase) async throws -> [String: CourseGroup] {
        var schedules: [String: CourseGroup] = [:]
        for row in try await database.raw(
            "SELECT schedule, course_group FROM applications_schedule WHERE cohort = \(bind: cohort)"
        ).all() {
            if let group = CourseGroup(rawValue: try row.decode(column: "course_group", as: String.self)) {
                schedules[try row.decode(column: "schedule", as: String.self)] = group
            }
        }
        return schedules
    }

    static func saveSchedule(
        cohort: String, schedule: String, group: CourseGroup, in database: any SQLDatabase
    )
        async throws
    {
        try await database.insert(into: "applications_schedule").columns("cohort", "schedule", "course_group")
            .values(SQLBind(cohort), SQLBind(schedule), SQLBind(group.rawValue))
            .onConflict(with: ["cohort", "schedule"]) { $0.set(excludedValueOf: "course_group") }
            .run()
    }

    static func hasReferenceData(in database: any SQLDatabase) async throws -> Bool {
        try await database.select().column(SQLLiteral.numeric("1")).from("applications_cohort").first() != nil
    }

    // MARK: - Encoding

    static func encode<T: Encodable>(_ value: T) throws -> String { try StoredJSON.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try StoredJSON.decode(type, text) }
}
