import Foundation
import MessageContracts
import SQLKit
import ServiceRuntime

/// A minimal service on ``ServiceApplication``, used by the runtime's tests in-process and as the `runtime-probe`
/// executable: it records keys in its own table, counting how often each was applied, so a test can prove that
/// nothing was applied twice or lost.
public enum RuntimeProbe {
    /// An error the probe throws in `fail` mode; the runtime treats it as transient.
    public struct InjectedFailure: Error, CustomStringConvertible {
        public var description: String { "injected failure" }
    }

    /// Registers the probe's migration and handler. Reads `NPQ_PROBE_RETRY_DELAYS` (comma-separated seconds),
    /// `NPQ_PROBE_DELIVERY_LIMIT` and `NPQ_PROBE_CRASH_AFTER_COMMIT` (a message id: SIGKILL itself after that
    /// message's commit, before its ack).
    public static func configure(_ app: inout ServiceApplication, environment: [String: String]) {
        app.migrations = [
            SQLMigration(
                version: 100, name: "probe effects",
                statements: ["CREATE TABLE probe_effects (key TEXT PRIMARY KEY, applied INTEGER NOT NULL)"]),
            SQLMigration(
                version: 101, name: "probe gates", statements: ["CREATE TABLE probe_allowed (key TEXT PRIMARY KEY)"]),
        ]
        if let delays = environment["NPQ_PROBE_RETRY_DELAYS"] {
            app.retryDelays = delays.split(separator: ",").compactMap { Double($0) }.map {
                .milliseconds(Int64($0 * 1000))
            }
        }
        if let limit = environment["NPQ_PROBE_DELIVERY_LIMIT"].flatMap(Int.init) { app.deliveryLimit = limit }
        if let crashID = environment["NPQ_PROBE_CRASH_AFTER_COMMIT"] {
            app.afterCommit = { messageID in
                if messageID == crashID { kill(getpid(), SIGKILL) }
            }
        }
        app.on(ProbeRecord.self) { message, context in
            switch message.payload.mode {
            case .reject: throw MessageRejection(.ruleViolation, detail: "the probe was asked to refuse this")
            case .fail: throw InjectedFailure()
            case .slow: try await Task.sleep(for: .milliseconds(200))
            case .crash: kill(getpid(), SIGKILL)
            case .gated:
                let allowed =
                    try await context.database.select().column("key").from("probe_allowed")
                    .where("key", .equal, message.payload.key).first() != nil
                if !allowed {
                    throw MessageRejection(.ruleViolation, detail: "the key is not allowed yet")
                }
                guard message.publisher != nil else {
                    throw MessageRejection.unauthorized("a gated message needs its publisher")
                }
            case .writeThenReject, .writeThenFail:
                let applied = try await apply(key: message.payload.key, in: context.database)
                context.publish(ProbeRecorded(key: message.payload.key, applied: applied))
                if message.payload.mode == .writeThenReject {
                    throw MessageRejection(.ruleViolation, detail: "the probe was asked to refuse this after writing")
                }
                throw InjectedFailure()
            case .ok: break
            }
            let applied = try await apply(key: message.payload.key, in: context.database)
            context.publish(ProbeRecorded(key: message.payload.key, applied: applied))
        }
    }

    /// Counts one more application of `key` and returns the new count.
    static func apply(key: String, in database: any SQLDatabase) async throws -> Int {
        let current =
            try await database.select().column("applied").from("probe_effects").where("key", .equal, key)
            .first()?.decode(column: "applied", as: Int.self) ?? 0
        if current == 0 {
            try await database.insert(into: "probe_effects").columns("key", "applied").values(SQLBind(key), SQLBind(1))
                .run()
        } else {
            try await database.update("probe_effects").set("applied", to: current + 1).where("key", .equal, key).run()
        }
        return current + 1
    }

    /// Lets `gated` messages with `key` through, writing to a probe's database file beside the running service.
    public static func allow(key: String, databasePath: String) async throws {
        let store = try await SQLStore.open(.sqliteFile(path: databasePath), logger: .init(label: "probe-writer"))
        do {
            try await store.transaction { database in
                try await database.insert(into: "probe_allowed").columns("key").values(SQLBind(key)).run()
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Every key and how often it was applied, read from a probe's database file.
    public static func effects(databasePath: String) async throws -> [String: Int] {
        let store = try await SQLStore.open(.sqliteFile(path: databasePath), logger: .init(label: "probe-reader"))
        do {
            let rows = try await store.read { database in
                try await database.select().columns("key", "applied").from("probe_effects").all()
            }
            var effects: [String: Int] = [:]
            for row in rows {
                effects[try row.decode(column: "key", as: String.self)] = try row.decode(
                    column: "applied", as: Int.self)
            }
            try await store.close()
            return effects
        } catch {
            try? await store.close()
            throw error
        }
    }
}
