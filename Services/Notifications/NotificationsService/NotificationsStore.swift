import Foundation
import MessageContracts
import NotificationsDomain
import SQLKit
import ServiceRuntime

/// The notifications service's tables: what it knows of applications, schools' contacts and webhooks and SENCO
/// spells (projections of events and commands), and the delivery log — each notification with its rendered content,
/// status and next attempt, and every attempt made.
enum NotificationsStore {
    static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 100, name: "contacts, projections and the delivery log",
            statements: [
                """
                CREATE TABLE notifications_application (
                    application_id TEXT PRIMARY KEY, full_name TEXT NOT NULL, email TEXT NOT NULL, trn TEXT,
                    course TEXT NOT NULL, lead_provider TEXT NOT NULL, cohort TEXT NOT NULL, school_urn TEXT)
                """,
                """
                CREATE TABLE notifications_contact (
                    school_urn TEXT NOT NULL, role TEXT NOT NULL, name TEXT, email TEXT NOT NULL,
                    PRIMARY KEY (school_urn, role, email))
                """,
                """
                CREATE TABLE notifications_webhook (
                    school_urn TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, registered_by TEXT NOT NULL,
                    registered_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE notifications_senco_spell (
                    spell_id TEXT PRIMARY KEY, school_urn TEXT NOT NULL, email TEXT NOT NULL, trn TEXT, deadline TEXT)
                """,
                "CREATE INDEX notifications_senco_school ON notifications_senco_spell (school_urn)",
                """
                CREATE TABLE notifications_delivery (
                    notification_id TEXT PRIMARY KEY, kind TEXT NOT NULL, channel TEXT NOT NULL,
                    recipient TEXT NOT NULL, address TEXT NOT NULL, display_name TEXT, school_urn TEXT,
                    application_id TEXT, cause_id TEXT NOT NULL, subject TEXT NOT NULL, text_body TEXT NOT NULL,
                    html_body TEXT, payload TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                    next_attempt_at TEXT, last_error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    delivered_at TEXT)
                """,
                "CREATE INDEX notifications_due ON notifications_delivery (status, next_attempt_at)",
                "CREATE INDEX notifications_by_school ON notifications_delivery (school_urn, created_at)",
                "CREATE INDEX notifications_by_application ON notifications_delivery (application_id, created_at)",
                """
                CREATE TABLE notifications_attempt (
                    notification_id TEXT NOT NULL, attempt INTEGER NOT NULL, at TEXT NOT NULL, outcome TEXT NOT NULL,
                    detail TEXT, PRIMARY KEY (notification_id, attempt))
                """,
            ]),
        SQLMigration(
            version: 102, name: "who holds a delivery's lease",
            statements: ["ALTER TABLE notifications_delivery ADD COLUMN lease_owner TEXT"]),
    ]

    // MARK: - Applications

    struct ApplicationRow: Sendable {
        var id: UUID
        var fullName: String
        var email: String
        var trn: String?
        var course: String
        var leadProvider: String
        var cohort: String
        var schoolURN: String?
    }

    static func saveApplication(_ row: ApplicationRow, in database: any SQLDatabase) async throws {
        try await database.insert(into: "notifications_application")
            .columns(
                "application_id", "full_name", "email", "trn", "course", "lead_provider", "cohort", "school_urn"
            )
            .values(
                SQLBind(row.id.uuidString.lowercased()), SQLBind(row.fullName), SQLBind(row.email), SQLBind(row.trn),
                SQLBind(row.course), SQLBind(row.leadProvider), SQLBind(row.cohort), SQLBind(row.schoolURN)
            )
            .onConflict(with: ["application_id"]) { conflict in
                conflict.set(excludedValueOf: "full_name").set(excludedValueOf: "email").set(excludedValueOf: "trn")
            }
            .run()
    }

    static func application(_ id: UUID, in database: any SQLDatabase) async throws -> ApplicationRow? {
        guard
            let row = try await database.select()
                .columns("full_name", "email", "trn", "course", "lead_provider", "cohort", "school_urn")
                .from("notifications_application").where("application_id", .equal, id.uuidString.lowercased())
                .first()
        else { return nil }
        return ApplicationRow(
            id: id, fullName: try row.decode(column: "full_name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            trn: try row.decode(column: "trn", as: String?.self),
            course: try row.decode(column: "course", as: String.self),
            leadProvider: try row.decode(column: "lead_provider", as: String.self),
            cohort: try row.decode(column: "cohort", as: String.self),
            schoolURN: try row.decode(column: "school_urn", as: String?.self))
    }

    // MARK: - Schools

    static func replaceContacts(
        _ command: SchoolContactsRegister, by user: String, at time: Date, in database: any SQLDatabase
    ) async throws {
        try await database.delete(from: "notifications_contact").where("school_urn", .equal, command.schoolURN).run()
        let insert = database.insert(into: "notifications_contact").columns("school_urn", "role", "name", "email")
        var seen: Set<String> = []
        for contact in command.contacts
        where seen.insert("\(contact.role.rawValue)|\(contact.email.lowercased())").inserted {
            insert.values(
                SQLBind(command.schoolURN), SQLBind(contact.role.rawValue), SQLBind(contact.name),
                SQLBind(contact.email))
        }
        try await insert.run()
        try await database.delete(from: "notifications_webhook").where("school_urn", .equal, command.schoolURN).run()
        if let webhook = command.webhook {
            try await database.insert(into: "notifications_webhook")
                .columns("school_urn", "url", "secret", "registered_by", "registered_at")
                .values(
                    SQLBind(command.schoolURN), SQLBind(webhook.url), SQLBind(webhook.secret), SQLBind(user),
                    SQLBind(RFC3339.format(time))
                ).run()
        }
    }

    static func contacts(
        school: String, roles: [ContactRole], in database: any SQLDatabase
    ) async throws -> [SchoolContact] {
        guard !roles.isEmpty else { return [] }
        return try await database.select().columns("role", "name", "email").from("notifications_contact")
            .where("school_urn", .equal, school).where("role", .in, roles.map(\.rawValue))
            .orderBy("role").orderBy("email").all()
            .compactMap { row in
                guard let role = ContactRole(rawValue: try row.decode(column: "role", as: String.self)) else {
                    return nil
                }
                return SchoolContact(
                    role: role, name: try row.decode(column: "name", as: String?.self),
                    email: try row.decode(column: "email", as: String.self))
            }
    }

    static func webhook(school: String, in database: any SQLDatabase) async throws -> SchoolWebhook? {
        guard
            let row = try await database.select().columns("url", "secret").from("notifications_webhook")
                .where("school_urn", .equal, school).first()
        else { return nil }
        return SchoolWebhook(
            url: try row.decode(column: "url", as: String.self),
            secret: try row.decode(column: "secret", as: String.self))
    }

    // MARK: - SENCO spells

    static func saveSpell(_ spell: SENCOSpellStatus, in database: any SQLDatabase) async throws {
        try await database.insert(into: "notifications_senco_spell")
            .columns("spell_id", "school_urn", "email", "trn", "deadline")
            .values(
                SQLBind(spell.spellID.uuidString.lowercased()), SQLBind(spell.schoolURN),
                SQLBind(spell.person.email.lowercased()), SQLBind(spell.person.trn),
                SQLBind(spell.deadline?.description)
            )
            .onConflict(with: ["spell_id"]) { conflict in
                conflict.set(excludedValueOf: "email").set(excludedValueOf: "trn").set(excludedValueOf: "deadline")
            }
            .run()
    }

    static func updateDeadline(spell: UUID, deadline: CalendarDate?, in database: any SQLDatabase) async throws {
        try await database.update("notifications_senco_spell").set("deadline", to: SQLBind(deadline?.description))
            .where("spell_id", .equal, spell.uuidString.lowercased()).run()
    }

    /// The SENCO deadline of the person (by TRN, else email) at the school, when the SENCO service tracks one.
    static func sencoDeadline(
        school: String, email: String, trn: String?, in database: any SQLDatabase
    ) async throws -> CalendarDate? {
        let query = database.select().column("deadline").from("notifications_senco_spell")
            .where("school_urn", .equal, school).where("deadline", .isNot, SQLLiteral.null)
        query.where { group in
            if let trn { group.orWhere("trn", .equal, trn) }
            return group.orWhere("email", .equal, email.lowercased())
        }
        let row = try await query.orderBy("deadline").first()
        return try row.flatMap { CalendarDate(try $0.decode(column: "deadline", as: String.self)) }
    }

    // MARK: - Deliveries

    /// A notification decided on: what to send, to whom, by which channel.
    struct Delivery: Sendable {
        var id: UUID
        var kind: NotificationKind
        var channel: NotificationChannel
        var recipient: NotificationRecipient
        /// An email address, or the webhook URL.
        var address: String
        var displayName: String?
        var schoolURN: String?
        var applicationID: UUID?
        var causeID: String
        var content: RenderedNotification
        /// The webhook's JSON body.
        var payload: String?
        var status: NotificationStatus = .pending
        var attempts: Int = 0
        var lastError: String? = nil
        var createdAt: Date = .distantPast
        var nextAttemptAt: Date? = nil
        var deliveredAt: Date? = nil
    }

    /// Stores `delivery` unless a notification with its id exists (the same cause, recipient and kind): returns
    /// whether it was new.
    @discardableResult
    static func enqueue(_ delivery: Delivery, at time: Date, in database: any SQLDatabase) async throws -> Bool {
        let id = delivery.id.uuidString.lowercased()
        // The statements run for every notification are written out as SQL: SQLKit's builders cost more to turn
        // into SQL text than SQLite takes to run them.
        if try await database.raw("SELECT 1 FROM notifications_delivery WHERE notification_id = \(bind: id)").first()
            != nil
        {
            return false
        }
        let now = RFC3339.format(time)
        try await database.raw(
            """
            INSERT INTO notifications_delivery (notification_id, kind, channel, recipient, address, display_name, \
            school_urn, application_id, cause_id, subject, text_body, html_body, payload, status, attempts, \
            next_attempt_at, last_error, created_at, updated_at, delivered_at) \
            VALUES (\(bind: id), \(bind: delivery.kind.rawValue), \(bind: delivery.channel.rawValue), \
            \(bind: delivery.recipient.rawValue), \(bind: delivery.address), \(bind: delivery.displayName), \
            \(bind: delivery.schoolURN), \(bind: delivery.applicationID?.uuidString.lowercased()), \
            \(bind: delivery.causeID), \(bind: delivery.content.subject), \(bind: delivery.content.text), \
            \(bind: delivery.content.html), \(bind: delivery.payload), \(bind: delivery.status.rawValue), \
            \(bind: delivery.attempts), \(bind: delivery.status == .pending ? now : nil), \(bind: delivery.lastError), \
            \(bind: now), \(bind: now), NULL)
            """
        ).run()
        return true
    }

    private static let columns = [
        "notification_id", "kind", "channel", "recipient", "address", "display_name", "school_urn", "application_id",
        "cause_id", "subject", "text_body", "html_body", "payload", "status", "attempts", "last_error", "created_at",
        "next_attempt_at", "delivered_at",
    ]
    /// ``columns`` as a select list, joined once.
    private static let columnList = columns.joined(separator: ", ")

    private static func delivery(from row: any SQLRow) throws -> Delivery {
        Delivery(
            id: UUID(uuidString: try row.decode(column: "notification_id", as: String.self))!,
            kind: NotificationKind(rawValue: try row.decode(column: "kind", as: String.self))!,
            channel: NotificationChannel(rawValue: try row.decode(column: "channel", as: String.self))!,
            recipient: NotificationRecipient(rawValue: try row.decode(column: "recipient", as: String.self))!,
            address: try row.decode(column: "address", as: String.self),
            displayName: try row.decode(column: "display_name", as: String?.self),
            schoolURN: try row.decode(column: "school_urn", as: String?.self),
            applicationID: try row.decode(column: "application_id", as: String?.self).flatMap(UUID.init(uuidString:)),
            causeID: try row.decode(column: "cause_id", as: String.self),
            content: RenderedNotification(
                subject: try row.decode(column: "subject", as: String.self),
                text: try row.decode(column: "text_body", as: String.self),
                html: try row.decode(column: "html_body", as: String?.self)),
            payload: try row.decode(column: "payload", as: String?.self),
            status: NotificationStatus(rawValue: try row.decode(column: "status", as: String.self))!,
            attempts: try row.decode(column: "attempts", as: Int.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: RFC3339.parse(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: String?.self).flatMap(RFC3339.parse),
            deliveredAt: try row.decode(column: "delivered_at", as: String?.self).flatMap(RFC3339.parse))
    }

    /// Takes up to `limit` due notifications for an attempt by `owner`: each is kept from other attempts for
    /// `leaseSeconds` (its next attempt moved to then), in the same transaction that reads them.
    static func take(
        at time: Date, limit: Int, leaseSeconds: TimeInterval, owner: String, in database: any SQLDatabase
    ) async throws -> [Delivery] {
        let due = try await due(at: time, limit: limit, in: database)
        guard !due.isEmpty else { return [] }
        let ids = due.map { $0.id.uuidString.lowercased() }
        try await database.raw(
            """
            UPDATE notifications_delivery \
            SET next_attempt_at = \(bind: RFC3339.format(time.addingTimeInterval(leaseSeconds))), \
            lease_owner = \(bind: owner) WHERE notification_id IN (\(binds: ids))
            """
        ).run()
        return due
    }

    /// Makes every pending notification taken for an attempt that was never recorded due at `time`; returns how
    /// many. Called when the delivery worker starts, with nothing in flight: such a lease belongs to a process that
    /// died mid-send (or to an attempt whose record failed), and would otherwise be waited out. Only for a database
    /// one process uses at a time (SQLite); with several replicas it would need the owner's liveness.
    static func releaseLeases(at time: Date, in database: any SQLDatabase) async throws -> Int {
        let leased =
            try await database.select().column(SQLFunction("count", args: SQLLiteral.all))
            .from("notifications_delivery")
            .where("status", .equal, NotificationStatus.pending.rawValue)
            .where("lease_owner", .isNot, SQLLiteral.null)
            .first()?.decode(column: "count(*)", as: Int.self) ?? 0
        guard leased > 0 else { return 0 }
        try await database.update("notifications_delivery")
            .set("next_attempt_at", to: RFC3339.format(time)).set("lease_owner", to: SQLLiteral.null)
            .where("status", .equal, NotificationStatus.pending.rawValue)
            .where("lease_owner", .isNot, SQLLiteral.null).run()
        return leased
    }

    /// Pending notifications whose next attempt is due, oldest first. The limit is part of the SQL text, not bound,
    /// for the reason `MessageStore.pending(limit:in:)` gives.
    static func due(at time: Date, limit: Int, in database: any SQLDatabase) async throws -> [Delivery] {
        try await database.raw(
            """
            SELECT \(unsafeRaw: columnList) FROM notifications_delivery \
            WHERE status = \(bind: NotificationStatus.pending.rawValue) \
            AND next_attempt_at <= \(bind: RFC3339.format(time)) \
            ORDER BY next_attempt_at, notification_id LIMIT \(unsafeRaw: String(max(0, limit)))
            """
        ).all().map(delivery(from:))
    }

    /// Records one attempt's outcome and the notification's new state.
    static func record(
        _ id: UUID, attempt: Int, outcome: String, detail: String?, status: NotificationStatus, nextAttemptAt: Date?,
        at time: Date, in database: any SQLDatabase
    ) async throws {
        let key = id.uuidString.lowercased()
        let now = RFC3339.format(time)
        try await database.raw(
            """
            INSERT INTO notifications_attempt (notification_id, attempt, at, outcome, detail) \
            VALUES (\(bind: key), \(bind: attempt), \(bind: now), \(bind: outcome), \(bind: detail)) \
            ON CONFLICT (notification_id, attempt) DO NOTHING
            """
        ).run()
        // Delivered: when. Not delivered: why.
        let outcomeColumn = status == .delivered ? "delivered_at" : "last_error"
        try await database.raw(
            """
            UPDATE notifications_delivery SET status = \(bind: status.rawValue), attempts = \(bind: attempt), \
            next_attempt_at = \(bind: nextAttemptAt.map(RFC3339.format)), lease_owner = NULL, \
            updated_at = \(bind: now), \(unsafeRaw: outcomeColumn) = \(bind: status == .delivered ? now : detail) \
            WHERE notification_id = \(bind: key)
            """
        ).run()
    }

    /// The delivery log of a school or an application, newest first.
    static func log(
        school: String?, application: UUID?, limit: Int, in database: any SQLDatabase
    ) async throws -> [Delivery] {
        let query = database.select().columns(columns).from("notifications_delivery")
        if let school { query.where("school_urn", .equal, school) }
        if let application { query.where("application_id", .equal, application.uuidString.lowercased()) }
        return try await query.orderBy("created_at", .descending).orderBy("notification_id").limit(limit).all()
            .map(delivery(from:))
    }
}
