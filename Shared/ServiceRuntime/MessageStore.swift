import Foundation
import MessageContracts
import SQLKit

/// The runtime's own tables in a service's database: the inbox (which messages each consumer has handled) and the
/// outbox (messages committed with a state change, waiting to be published).
///
/// The queries use SQLKit's builders, which both SQLite and PostgreSQL speak; the DDL below is SQLite's (a
/// PostgreSQL backend needs `BIGSERIAL` for `INTEGER PRIMARY KEY AUTOINCREMENT` and `BYTEA` for `BLOB`, and an
/// `INSERT … ON CONFLICT DO NOTHING` inbox insert to be safe with several replicas). The migrations use versions
/// 1–99, which the runtime reserves; services number theirs from 100.
package enum MessageStore {
    package static let migrations: [SQLMigration] = [
        SQLMigration(
            version: 1, name: "runtime inbox and outbox",
            statements: [
                """
                CREATE TABLE npq_inbox (
                    consumer TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    message_type TEXT,
                    outcome TEXT NOT NULL,
                    handled_at TEXT NOT NULL,
                    PRIMARY KEY (consumer, message_id)
                )
                """,
                "CREATE INDEX npq_inbox_handled_at ON npq_inbox (handled_at)",
                """
                CREATE TABLE npq_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    message_id TEXT NOT NULL,
                    exchange TEXT NOT NULL,
                    routing_key TEXT NOT NULL,
                    message_type TEXT,
                    correlation_id TEXT,
                    reply_to TEXT,
                    app_id TEXT,
                    timestamp_ms INTEGER NOT NULL,
                    headers TEXT NOT NULL,
                    body BLOB NOT NULL,
                    mandatory INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    published_at TEXT,
                    failed_at TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT
                )
                """,
                "CREATE INDEX npq_outbox_pending ON npq_outbox (published_at, id)",
            ]),
        SQLMigration(
            version: 2, name: "runtime handling attempts of redelivered messages",
            statements: [
                """
                CREATE TABLE npq_attempts (
                    consumer TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    started INTEGER NOT NULL,
                    last_started_at TEXT NOT NULL,
                    PRIMARY KEY (consumer, message_id)
                )
                """,
                "CREATE INDEX npq_attempts_last_started_at ON npq_attempts (last_started_at)",
            ]),
        ParkedStore.migration,
    ]

    /// Counts one more start of handling `messageID` after a redelivery and returns how many starts there have
    /// been, the first delivery's included.
    static func recordAttempt(_ messageID: String, consumer: String, in database: any SQLDatabase) async throws -> Int {
        let now = RFC3339Text.format(Date())
        let previous = try await database.select().column("started").from("npq_attempts")
            .where("consumer", .equal, consumer).where("message_id", .equal, messageID)
            .first()?.decode(column: "started", as: Int.self)
        // The first delivery is not recorded (that would cost every message a write); a redelivered message is
        // taken to have been started once before.
        let started = (previous ?? 1) + 1
        if previous == nil {
            try await database.insert(into: "npq_attempts")
                .columns("consumer", "message_id", "started", "last_started_at")
                .values(SQLBind(consumer), SQLBind(messageID), SQLBind(started), SQLBind(now)).run()
        } else {
            try await database.update("npq_attempts").set("started", to: started).set("last_started_at", to: now)
                .where("consumer", .equal, consumer).where("message_id", .equal, messageID).run()
        }
        return started
    }

    /// Whether `consumer` has already handled `messageID`.
    static func alreadyHandled(_ messageID: String, consumer: String, in database: any SQLDatabase) async throws -> Bool
    {
        // The statements run for every message are written out as SQL: SQLKit's builders cost more to turn into
        // SQL text than SQLite takes to run them (escaping every identifier, on every call).
        try await database.raw(
            "SELECT 1 FROM npq_inbox WHERE consumer = \(bind: consumer) AND message_id = \(bind: messageID)"
        ).first() != nil
    }

    /// Records that `consumer` handled `messageID` with `outcome` (`handled`, `rejected`).
    static func recordHandled(
        _ messageID: String, type: String?, consumer: String, outcome: String, at time: Date,
        in database: any SQLDatabase
    ) async throws {
        try await database.raw(
            """
            INSERT INTO npq_inbox (consumer, message_id, message_type, outcome, handled_at) \
            VALUES (\(bind: consumer), \(bind: messageID), \(bind: type), \(bind: outcome), \
            \(bind: RFC3339Text.format(time)))
            """
        ).run()
    }

    /// Adds messages to the outbox, in order, with one statement per 500 messages (a statement's round trip costs
    /// more than its rows).
    static func enqueue(_ messages: [OutgoingMessage], at time: Date, in database: any SQLDatabase) async throws {
        let created = RFC3339Text.format(time)
        var start = messages.startIndex
        while start < messages.endIndex {
            let end = min(start + 500, messages.endIndex)
            var insert: SQLQueryString = """
                INSERT INTO npq_outbox (message_id, exchange, routing_key, message_type, correlation_id, reply_to, \
                app_id, timestamp_ms, headers, body, mandatory, created_at) VALUES
                """
            for (offset, message) in messages[start..<end].enumerated() {
                let headers = String(decoding: try JSONEncoder.sorted.encode(message.headers), as: UTF8.self)
                let timestamp = Int64(exactly: (message.timestamp.timeIntervalSince1970 * 1000).rounded()) ?? 0
                insert += """
                    \(unsafeRaw: offset == 0 ? " " : ", ")(\(bind: message.messageID), \(bind: message.exchange), \
                    \(bind: message.routingKey), \(bind: message.type), \(bind: message.correlationID), \
                    \(bind: message.replyTo), \(bind: message.appID), \(bind: timestamp), \(bind: headers), \
                    \(bind: message.body), \(bind: message.mandatory ? 1 : 0), \(bind: created))
                    """
            }
            try await database.raw(insert).run()
            start = end
        }
    }

    /// An outbox row waiting to be published.
    struct PendingRow: Sendable {
        let id: Int64
        let attempts: Int
        let message: OutgoingMessage
    }

    /// The oldest unpublished rows, in the order they were committed.
    ///
    /// The limit is written into the SQL text rather than bound: SQLite marks a bound `LIMIT` as one that may change
    /// the plan, so binding it again, even to the same value, makes the next step parse and plan the statement
    /// afresh (8% of a lightly loaded npq-notifications' CPU went to that). Each limit is a statement of its own in
    /// the connection's cache instead.
    static func pending(limit: Int, in database: any SQLDatabase) async throws -> [PendingRow] {
        let rows = try await database.raw(
            """
            SELECT id, message_id, exchange, routing_key, message_type, correlation_id, reply_to, app_id, \
            timestamp_ms, headers, body, mandatory, attempts FROM npq_outbox \
            WHERE published_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT \(unsafeRaw: String(max(0, limit)))
            """
        ).all()
        return try rows.map { row in
            let headers = try JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(column: "headers", as: String.self).utf8))
            return PendingRow(
                id: try row.decode(column: "id", as: Int64.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                message: OutgoingMessage(
                    exchange: try row.decode(column: "exchange", as: String.self),
                    routingKey: try row.decode(column: "routing_key", as: String.self),
                    messageID: try row.decode(column: "message_id", as: String.self),
                    type: try row.decode(column: "message_type", as: String?.self),
                    correlationID: try row.decode(column: "correlation_id", as: String?.self),
                    replyTo: try row.decode(column: "reply_to", as: String?.self),
                    appID: try row.decode(column: "app_id", as: String?.self),
                    timestamp: Date(
                        timeIntervalSince1970: Double(try row.decode(column: "timestamp_ms", as: Int64.self)) / 1000),
                    headers: headers,
                    body: try row.decode(column: "body", as: Data.self),
                    mandatory: try row.decode(column: "mandatory", as: Int.self) != 0))
        }
    }

    /// Marks rows published.
    static func markPublished(_ ids: [Int64], at time: Date, in database: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await database.raw(
            "UPDATE npq_outbox SET published_at = \(bind: RFC3339Text.format(time)) WHERE id IN (\(binds: ids))"
        ).run()
    }

    /// Records a failed attempt; `giveUp` takes the row out of the queue (a permanent failure, e.g. a missing
    /// exchange) so that it does not hold back the rows behind it.
    static func markFailed(
        _ id: Int64, error: String, giveUp: Bool, at time: Date, in database: any SQLDatabase
    )
        async throws
    {
        var update = database.update("npq_outbox").set("last_error", to: String(error.prefix(500)))
            .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
        if giveUp { update = update.set("failed_at", to: RFC3339Text.format(time)) }
        try await update.where("id", .equal, id).run()
    }

    /// How many rows wait to be published.
    static func depth(in database: any SQLDatabase) async throws -> Int {
        let row = try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("npq_outbox").where("published_at", .is, SQLLiteral.null).where("failed_at", .is, SQLLiteral.null)
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// When the oldest row waiting to be published was committed, or `nil` when none waits.
    static func oldestPending(in database: any SQLDatabase) async throws -> Date? {
        let row = try await database.select().column("created_at").from("npq_outbox")
            .where("published_at", .is, SQLLiteral.null).where("failed_at", .is, SQLLiteral.null)
            .orderBy("id").limit(1).first()
        guard let row else { return nil }
        return RFC3339.parse(try row.decode(column: "created_at", as: String.self))
    }

    /// Deletes published outbox rows and inbox entries older than `cutoff`. Inbox entries must outlive any
    /// redelivery or replay of their message, so keep them for weeks.
    static func prune(publishedBefore: Date, handledBefore: Date, in database: any SQLDatabase) async throws {
        try await database.delete(from: "npq_outbox").where("published_at", .isNot, SQLLiteral.null)
            .where("published_at", .lessThan, RFC3339Text.format(publishedBefore)).run()
        try await database.delete(from: "npq_inbox")
            .where("handled_at", .lessThan, RFC3339Text.format(handledBefore)).run()
        try await database.delete(from: "npq_attempts")
            .where("last_started_at", .lessThan, RFC3339Text.format(handledBefore)).run()
    }
}

/// Timestamps stored as RFC 3339 text (UTC, milliseconds), which sorts by time and reads the same in SQLite and
/// PostgreSQL.
enum RFC3339Text {
    static func format(_ date: Date) -> String { RFC3339.format(date) }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
