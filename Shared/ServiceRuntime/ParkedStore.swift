import Foundation
import MessageContracts
import SQLKit

/// The runtime's record of the messages a service set aside: every copy that reaches its parked queue is kept here,
/// with its rejection, until an operator replays or purges it (`npq parked …`).
///
/// A message id has one row. A copy that arrives again (the outbox sent it twice, the broker redelivered it) changes
/// nothing; a copy that arrives after a replay (the service refused the message again) parks the row again. The
/// `x-npq-replay-count` header tells the two apart.
enum ParkedStore {
    /// Larger bodies are kept cut to this size (they were refused as too large and cannot be replayed).
    static let maxStoredBody = 1_048_576
    /// What a cut body keeps.
    static let truncatedBody = 262_144

    static let migration = SQLMigration(
        version: 3, name: "runtime parked messages",
        statements: [
            """
            CREATE TABLE npq_parked (
                message_id TEXT NOT NULL PRIMARY KEY,
                message_type TEXT,
                reason TEXT NOT NULL,
                detail TEXT NOT NULL,
                field_errors TEXT NOT NULL,
                publisher TEXT,
                correlation_id TEXT,
                reply_to TEXT,
                app_id TEXT,
                exchange TEXT,
                routing_key TEXT,
                timestamp_ms INTEGER,
                headers TEXT NOT NULL,
                body BLOB NOT NULL,
                body_bytes INTEGER NOT NULL,
                body_truncated INTEGER NOT NULL,
                status TEXT NOT NULL,
                first_parked_at TEXT NOT NULL,
                parked_at TEXT NOT NULL,
                times_parked INTEGER NOT NULL,
                replays INTEGER NOT NULL,
                last_replayed_at TEXT,
                last_replayed_by TEXT
            )
            """,
            "CREATE INDEX npq_parked_status ON npq_parked (status, parked_at)",
        ])

    /// A parked copy as it arrived, reduced to what the table keeps.
    struct Copy: Sendable {
        var messageID: String
        var type: String?
        var reason: RejectionReason
        var detail: String
        var fieldErrors: [FieldError]
        var publisher: String?
        var correlationID: String?
        var replyTo: String?
        var appID: String?
        var exchange: String?
        var routingKey: String?
        var timestamp: Date?
        var headers: [String: String]
        var body: Data
        /// The replay the copy comes from (0: the message as first published).
        var replayCount: Int
    }

    /// What ``ingest(_:at:in:)`` did with a copy.
    enum Ingested: Equatable {
        case parked, parkedAgain, duplicate
    }

    /// Records a parked copy; see the type's documentation for copies seen before.
    static func ingest(_ copy: Copy, at time: Date, in database: any SQLDatabase) async throws -> Ingested {
        let now = RFC3339Text.format(time)
        let existing = try await database.select().columns("status", "replays").from("npq_parked")
            .where("message_id", .equal, copy.messageID).first()
        let body = copy.body.count > maxStoredBody ? copy.body.prefix(truncatedBody) : copy.body
        let fields = String(decoding: try JSONEncoder.sorted.encode(copy.fieldErrors), as: UTF8.self)
        let headers = String(decoding: try JSONEncoder.sorted.encode(copy.headers), as: UTF8.self)
        guard let existing else {
            try await database.insert(into: "npq_parked")
                .columns(
                    "message_id", "message_type", "reason", "detail", "field_errors", "publisher", "correlation_id",
                    "reply_to", "app_id", "exchange", "routing_key", "timestamp_ms", "headers", "body", "body_bytes",
                    "body_truncated", "status", "first_parked_at", "parked_at", "times_parked", "replays"
                )
                .values(
                    SQLBind(copy.messageID), SQLBind(copy.type), SQLBind(copy.reason.rawValue), SQLBind(copy.detail),
                    SQLBind(fields), SQLBind(copy.publisher), SQLBind(copy.correlationID), SQLBind(copy.replyTo),
                    SQLBind(copy.appID), SQLBind(copy.exchange), SQLBind(copy.routingKey),
                    SQLBind(copy.timestamp.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }),
                    SQLBind(headers), SQLBind(Data(body)), SQLBind(copy.body.count),
                    SQLBind(body.count < copy.body.count ? 1 : 0), SQLBind(ParkedStatus.parked.rawValue),
                    SQLBind(now), SQLBind(now), SQLBind(1), SQLBind(copy.replayCount)
                )
                .run()
            return .parked
        }
        let status = try existing.decode(column: "status", as: String.self)
        let replays = try existing.decode(column: "replays", as: Int.self)
        // An older copy, or this copy again: nothing new.
        if copy.replayCount < replays || (copy.replayCount == replays && status == ParkedStatus.parked.rawValue) {
            return .duplicate
        }
        try await database.update("npq_parked")
            .set("status", to: ParkedStatus.parked.rawValue).set("reason", to: copy.reason.rawValue)
            .set("detail", to: copy.detail).set("field_errors", to: fields).set("headers", to: headers)
            .set("parked_at", to: now).set(SQLIdentifier("times_parked"), to: SQLRaw("times_parked + 1"))
            .set("replays", to: copy.replayCount)
            .where("message_id", .equal, copy.messageID).run()
        return .parkedAgain
    }

    // MARK: - Reading

    /// The rows ``ParkedList`` asks for, newest first, and how many match in all.
    static func list(
        _ query: ParkedList, service: String, in database: any SQLDatabase
    ) async throws -> (
        total: Int, messages: [ParkedMessage]
    ) {
        func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var select = select.from("npq_parked")
            if query.all != true {
                select = select.where("status", .equal, (query.status ?? .parked).rawValue)
            }
            if let reason = query.reason { select = select.where("reason", .equal, reason.rawValue) }
            if let type = query.type { select = select.where("message_type", .equal, type) }
            return select
        }
        let total =
            try await filtered(database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await filtered(database.select().columns(summaryColumns))
            .orderBy("parked_at", .descending).orderBy("message_id")
            .limit(query.limit ?? 50).offset(query.offset ?? 0).all()
        return (total, try rows.map { try message(from: $0, service: service, withContent: false) })
    }

    /// One row in full, or `nil`.
    static func show(
        _ messageID: String, service: String, in database: any SQLDatabase
    ) async throws
        -> ParkedMessage?
    {
        let row = try await database.select().columns(summaryColumns + ["headers", "body"]).from("npq_parked")
            .where("message_id", .equal, messageID).first()
        return try row.map { try message(from: $0, service: service, withContent: true) }
    }

    /// Parked and replayed messages, and the parked ones by reason.
    static func counts(
        in database: any SQLDatabase
    ) async throws -> (
        parked: Int, replayed: Int, byReason: [RejectionReason: Int]
    ) {
        let rows = try await database.select().column("status").column("reason")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("npq_parked").groupBy("status").groupBy("reason").all()
        var parked = 0
        var replayed = 0
        var byReason: [RejectionReason: Int] = [:]
        for row in rows {
            let count = try row.decode(column: "n", as: Int.self)
            if try row.decode(column: "status", as: String.self) == ParkedStatus.parked.rawValue {
                parked += count
                if let reason = RejectionReason(rawValue: try row.decode(column: "reason", as: String.self)) {
                    byReason[reason, default: 0] += count
                }
            } else {
                replayed += count
            }
        }
        return (parked, replayed, byReason)
    }

    private static let summaryColumns = [
        "message_id", "message_type", "reason", "detail", "field_errors", "publisher", "correlation_id", "exchange",
        "routing_key", "status", "first_parked_at", "parked_at", "times_parked", "replays", "last_replayed_at",
        "last_replayed_by", "body_bytes", "body_truncated",
    ]

    private static func message(from row: any SQLRow, service: String, withContent: Bool) throws -> ParkedMessage {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: String?.self).flatMap(RFC3339.parse)
        }
        let reasonText = try row.decode(column: "reason", as: String.self)
        var message = ParkedMessage(
            messageID: try row.decode(column: "message_id", as: String.self), service: service,
            type: try row.decode(column: "message_type", as: String?.self),
            reason: RejectionReason(rawValue: reasonText) ?? .undecodable,
            detail: String(try row.decode(column: "detail", as: String.self).prefix(2_000)),
            fieldErrors: (try? JSONDecoder().decode(
                [FieldError].self, from: Data(try row.decode(column: "field_errors", as: String.self).utf8))) ?? [],
            publisher: try row.decode(column: "publisher", as: String?.self),
            correlationID: try row.decode(column: "correlation_id", as: String?.self),
            exchange: try row.decode(column: "exchange", as: String?.self),
            routingKey: try row.decode(column: "routing_key", as: String?.self),
            status: ParkedStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .parked,
            firstParkedAt: try date("first_parked_at") ?? Date(timeIntervalSince1970: 0),
            parkedAt: try date("parked_at") ?? Date(timeIntervalSince1970: 0),
            timesParked: try row.decode(column: "times_parked", as: Int.self),
            replays: try row.decode(column: "replays", as: Int.self), lastReplayedAt: try date("last_replayed_at"),
            lastReplayedBy: try row.decode(column: "last_replayed_by", as: String?.self),
            bodyBytes: try row.decode(column: "body_bytes", as: Int.self))
        guard withContent else { return message }
        let headers =
            (try? JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(column: "headers", as: String.self).utf8))) ?? [:]
        message.headers = headers.sorted { $0.key < $1.key }.prefix(ParkedShow.maxHeaders).map {
            ParkedHeader(name: String($0.key.prefix(255)), value: String($0.value.prefix(ParkedShow.maxHeaderValue)))
        }
        let body = try row.decode(column: "body", as: Data.self)
        var shown = body.prefix(ParkedShow.maxBodyBytes)
        // A cut may fall inside a character: give back up to three bytes rather than call the text binary.
        var text = String(validating: shown, as: UTF8.self)
        if text == nil, shown.count < body.count {
            for cut in 1...3 where text == nil {
                text = String(validating: shown.dropLast(cut), as: UTF8.self)
                if text != nil { shown = shown.dropLast(cut) }
            }
        }
        if let text {
            message.body = text
            message.bodyEncoding = .utf8
        } else {
            message.body = shown.base64EncodedString()
            message.bodyEncoding = .base64
        }
        let cutWhenStored = try row.decode(column: "body_truncated", as: Int.self) != 0
        message.bodyTruncated = shown.count < body.count || cutWhenStored
        return message
    }
}
