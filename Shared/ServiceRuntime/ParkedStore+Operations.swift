import Foundation
import MessageContracts
import SQLKit

extension ParkedStore {
    /// What a replay decided: the event to announce and the copies to send back to the service's queue.
    struct Replay: Sendable {
        var result: ParkedReplayed
        var messages: [OutgoingMessage]
    }

    /// Sends the selected parked messages back to `service`'s queue, through the outbox, as they were first
    /// published: same message id, type, correlation id and `reply_to`, the original publisher, exchange and routing
    /// key in the runtime's headers (see ``RuntimeHeader``), without the rejection and retry headers.
    ///
    /// In the same transaction it forgets the rejection in the inbox (so the message is handled again, once) and
    /// the crash count of a redelivered message, and marks the rows replayed.
    static func replay(
        _ selection: ParkedSelection, service: ServiceTopology, by operatorUser: String, at time: Date,
        in database: any SQLDatabase
    ) async throws -> Replay {
        var notFound: [String] = []
        var notParked: [String] = []
        var notReplayable: [String] = []
        var rows: [any SQLRow] = []
        var remaining = 0
        if let ids = selection.messageIDs {
            for id in uniqued(ids) {
                guard
                    let row = try await database.select().columns(replayColumns).from("npq_parked")
                        .where("message_id", .equal, id).first()
                else {
                    notFound.append(id)
                    continue
                }
                if try row.decode(column: "status", as: String.self) != ParkedStatus.parked.rawValue {
                    notParked.append(id)
                } else if try row.decode(column: "body_truncated", as: Int.self) != 0 {
                    notReplayable.append(id)
                } else {
                    rows.append(row)
                }
            }
        } else {
            // The oldest first, as many as the caps allow: their sizes first, then each row whole.
            func matching(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("npq_parked").where("status", .equal, ParkedStatus.parked.rawValue)
                    .where("body_truncated", .equal, 0)
                if let reason = selection.reason { select = select.where("reason", .equal, reason.rawValue) }
                if let type = selection.type { select = select.where("message_type", .equal, type) }
                return select
            }
            let candidates = try await matching(database.select().columns("message_id", "body_bytes"))
                .orderBy("first_parked_at").orderBy("message_id").limit(ParkedSelection.maxReplayAll).all()
            var bytes = 0
            for candidate in candidates {
                let size = try candidate.decode(column: "body_bytes", as: Int.self)
                if !rows.isEmpty && bytes + size > ParkedSelection.maxReplayBytes { break }
                bytes += size
                let id = try candidate.decode(column: "message_id", as: String.self)
                if let row = try await database.select().columns(replayColumns).from("npq_parked")
                    .where("message_id", .equal, id).first()
                {
                    rows.append(row)
                }
            }
            let total =
                try await matching(database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
                .first()?.decode(column: "n", as: Int.self) ?? rows.count
            remaining = max(0, total - rows.count)
        }

        let now = RFC3339Text.format(time)
        var messages: [OutgoingMessage] = []
        var replayed: [String] = []
        for row in rows {
            let id = try row.decode(column: "message_id", as: String.self)
            let replays = try row.decode(column: "replays", as: Int.self) + 1
            var headers =
                (try? JSONDecoder().decode(
                    [String: String].self, from: Data(try row.decode(column: "headers", as: String.self).utf8)))
                ?? [:]
            for name in [
                EnvelopeHeader.rejectionReason, EnvelopeHeader.rejectionDetail, EnvelopeHeader.rejectedBy,
                EnvelopeHeader.rejectionFields, EnvelopeHeader.retryCount, EnvelopeHeader.firstFailure,
                RuntimeHeader.lastError,
            ] {
                headers[name] = nil
            }
            headers[RuntimeHeader.originalPublisher] = try row.decode(column: "publisher", as: String?.self)
            headers[RuntimeHeader.originalExchange] = try row.decode(column: "exchange", as: String?.self)
            headers[RuntimeHeader.originalRoutingKey] = try row.decode(column: "routing_key", as: String?.self)
            headers[RuntimeHeader.replayCount] = "\(replays)"
            headers[RuntimeHeader.replayedBy] = operatorUser
            let timestamp = try row.decode(column: "timestamp_ms", as: Int64?.self)
            messages.append(
                OutgoingMessage(
                    exchange: Topology.deadLetterExchange, routingKey: service.replayRoutingKey, messageID: id,
                    type: try row.decode(column: "message_type", as: String?.self),
                    correlationID: try row.decode(column: "correlation_id", as: String?.self),
                    replyTo: try row.decode(column: "reply_to", as: String?.self),
                    appID: try row.decode(column: "app_id", as: String?.self),
                    timestamp: timestamp.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? time,
                    headers: headers, body: try row.decode(column: "body", as: Data.self), mandatory: true))
            try await database.delete(from: "npq_inbox").where("consumer", .equal, service.queue)
                .where("message_id", .equal, id).where("outcome", .like, "rejected%").run()
            try await database.delete(from: "npq_attempts").where("consumer", .equal, service.queue)
                .where("message_id", .equal, id).run()
            try await database.update("npq_parked").set("status", to: ParkedStatus.replayed.rawValue)
                .set("replays", to: replays).set("last_replayed_at", to: now).set("last_replayed_by", to: operatorUser)
                .where("message_id", .equal, id).run()
            replayed.append(id)
        }
        let result = ParkedReplayed(
            service: service.service, replayed: replayed.count, messageIDs: Array(replayed.prefix(1_000)),
            notFound: notFound, notParked: notParked, notReplayable: notReplayable, remaining: remaining,
            replayedBy: operatorUser,
            replayedAt: time)
        return Replay(result: result, messages: messages)
    }

    /// Deletes the selected parked messages (parked or replayed) for good.
    static func purge(
        _ selection: ParkedSelection, service: String, by operatorUser: String, at time: Date,
        in database: any SQLDatabase
    ) async throws -> ParkedPurged {
        var notFound: [String] = []
        var ids: [String] = []
        if let given = selection.messageIDs {
            for id in uniqued(given) {
                let exists =
                    try await database.select().column("message_id").from("npq_parked")
                    .where("message_id", .equal, id).first() != nil
                if exists { ids.append(id) } else { notFound.append(id) }
            }
        } else {
            var select = database.select().column("message_id").from("npq_parked")
            if let reason = selection.reason { select = select.where("reason", .equal, reason.rawValue) }
            if let type = selection.type { select = select.where("message_type", .equal, type) }
            ids = try await select.orderBy("first_parked_at").orderBy("message_id").limit(ParkedSelection.maxPurgeAll)
                .all().map { try $0.decode(column: "message_id", as: String.self) }
        }
        var start = ids.startIndex
        while start < ids.endIndex {
            let end = min(start + 500, ids.endIndex)
            try await database.delete(from: "npq_parked").where("message_id", .in, Array(ids[start..<end])).run()
            start = end
        }
        return ParkedPurged(
            service: service, purged: ids.count, messageIDs: Array(ids.prefix(1_000)), notFound: notFound,
            purgedBy: operatorUser, purgedAt: time)
    }

    /// Deletes replayed rows last replayed before `cutoff` (parked ones stay until an operator decides).
    static func prune(replayedBefore cutoff: Date, in database: any SQLDatabase) async throws {
        try await database.delete(from: "npq_parked").where("status", .equal, ParkedStatus.replayed.rawValue)
            .where("last_replayed_at", .lessThan, RFC3339Text.format(cutoff)).run()
    }

    private static let replayColumns = [
        "message_id", "message_type", "publisher", "correlation_id", "reply_to", "app_id", "exchange", "routing_key",
        "timestamp_ms", "headers", "body", "body_truncated", "status", "replays",
    ]

    /// `ids` without repeats, in their first order.
    private static func uniqued(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
