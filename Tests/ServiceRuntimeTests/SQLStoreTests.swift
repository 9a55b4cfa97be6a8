import Foundation
import Logging
import SQLKit
import Testing

@testable import ServiceRuntime

/// The service database: pragmas, serialised transactions, rollback, lock waiting, and migrations.
@Suite("SQL store")
struct SQLStoreTests {
    /// An error a transaction body throws on purpose.
    struct Abort: Error, Equatable {}

    /// A fresh database file in its own, not yet existing, directory.
    private func temporaryDatabase() -> DatabaseLocation {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("npq-store-\(UUID().uuidString)/nested")
        return .sqliteFile(path: directory.appendingPathComponent("test.sqlite").path)
    }

    /// Opens a store at `location`, runs `body`, and closes the store whatever happens.
    @discardableResult
    private func withStore<T>(
        _ location: DatabaseLocation, busyTimeout: Duration = .seconds(5), _ body: (SQLStore) async throws -> T
    ) async throws -> T {
        let store = try await SQLStore.open(location, busyTimeout: busyTimeout, logger: Logger(label: "test"))
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// A table with one counter row at zero.
    private let counterMigration = SQLMigration(
        version: 1, name: "counter",
        statements: [
            "CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
            "INSERT INTO counter (id, value) VALUES (1, 0)",
        ])

    /// The counter's value.
    private func counter(_ store: SQLStore) async throws -> Int {
        try await store.read { database in
            try await database.raw("SELECT value FROM counter WHERE id = 1").first(
                decodingColumn: "value", as: Int.self)
                ?? -1
        }
    }

    /// Whether `table` exists.
    private func tableExists(_ table: String, in store: SQLStore) async throws -> Bool {
        try await store.read { database in
            try await database.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)")
                .first() != nil
        }
    }

    @Test("the file and its directory are created, in WAL mode with the configured pragmas")
    func pragmas() async throws {
        let location = temporaryDatabase()
        try await withStore(location) { store in
            let settings = try await store.transaction { database in
                let row = try await database.raw(
                    "SELECT * FROM pragma_journal_mode, pragma_synchronous, pragma_busy_timeout, pragma_foreign_keys"
                ).first()
                let found = try #require(row)
                return [
                    try found.decode(column: "journal_mode", as: String.self),
                    String(try found.decode(column: "synchronous", as: Int.self)),
                    String(try found.decode(column: "timeout", as: Int.self)),
                    String(try found.decode(column: "foreign_keys", as: Int.self)),
                ]
            }
            #expect(settings == ["wal", "1", "5000", "1"])
        }
        guard case .sqliteFile(let path) = location else { return }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("50 concurrent read-modify-write transactions give 50: they never interleave")
    func serialisedTransactions() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await store.transaction { database in
                            let value =
                                try await database.raw("SELECT value FROM counter WHERE id = 1")
                                .first(decodingColumn: "value", as: Int.self) ?? 0
                            await Task.yield()
                            try await database.raw("UPDATE counter SET value = \(bind: value + 1) WHERE id = 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await counter(store) == 50)
        }
    }

    @Test("write transactions are counted, committed or rolled back; reads are not")
    func writeTransactionsAreCounted() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            let before = store.writeTransactions
            try await store.transaction { database in
                try await database.raw("UPDATE counter SET value = value + 1 WHERE id = 1").run()
            }
            await #expect(throws: Abort.self) {
                try await store.transaction { _ in throw Abort() }
            }
            _ = try await counter(store)
            #expect(store.writeTransactions == before + 2)
        }
    }

    @Test("a read on the writer sees what committed before it and is not counted as a write transaction")
    func readOnWriter() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            try await store.transaction { database in
                try await database.raw("UPDATE counter SET value = 5 WHERE id = 1").run()
            }
            let before = store.writeTransactions
            let value = try await store.readOnWriter { database in
                try await database.raw("SELECT value FROM counter WHERE id = 1").first()?.decode(
                    column: "value", as: Int.self)
            }
            #expect(value == 5)
            #expect(store.writeTransactions == before)
            // Running on the writer's thread already (as the outbox relay does) costs nothing more.
            let onThread = try await withTaskExecutorPreference(store.writerExecutor) {
                try await store.readOnWriter { database in
                    try await database.raw("SELECT value FROM counter WHERE id = 1").first()?.decode(
                        column: "value", as: Int.self)
                }
            }
            #expect(onThread == 5)
        }
    }

    @Test("a throwing body rolls back everything it wrote, and its own error comes through unchanged")
    func rollback() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            await #expect(throws: Abort()) {
                try await store.transaction { database in
                    try await database.raw("UPDATE counter SET value = 99 WHERE id = 1").run()
                    throw Abort()
                }
            }
            #expect(try await counter(store) == 0)
            // The connection is usable again: the failed transaction is not left open.
            try await store.transaction { database in
                try await database.raw("UPDATE counter SET value = 1 WHERE id = 1").run()
            }
            #expect(try await counter(store) == 1)
        }
    }

    @Test("a transaction whose task is cancelled midway rolls back and leaves the connection usable")
    func cancelledTransactionRollsBack() async throws {
        // Regression: the outbox relay was cancelled inside a transaction at shutdown; the ROLLBACK was cancelled
        // too, the connection stayed in the transaction, and every later BEGIN failed.
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            let started = AsyncStream<Void>.makeStream()
            let task = Task {
                try await store.transaction { database in
                    try await database.raw("UPDATE counter SET value = 99 WHERE id = 1").run()
                    started.continuation.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            var iterator = started.stream.makeAsyncIterator()
            await iterator.next()
            task.cancel()
            await #expect(throws: (any Error).self) { try await task.value }
            #expect(try await counter(store) == 0)
            try await store.transaction { database in
                try await database.raw("UPDATE counter SET value = 2 WHERE id = 1").run()
            }
            #expect(try await counter(store) == 2)
        }
    }

    @Test("an SQL error becomes a non-transient SQLStoreError")
    func constraintError() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            await #expect {
                try await store.transaction { database in
                    try await database.raw("INSERT INTO counter (id, value) VALUES (1, 5)").run()
                }
            } throws: { error in
                let error = error as? SQLStoreError
                return error?.code == .constraint && error?.isTransient == false
            }
        }
    }

    @Test("reads cannot write: the read connection is query-only")
    func readIsReadOnly() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate([counterMigration])
            await #expect(throws: SQLStoreError.self) {
                try await store.read { database in
                    try await database.raw("UPDATE counter SET value = 7 WHERE id = 1").run()
                }
            }
            #expect(try await counter(store) == 0)
        }
    }

    @Test("a lock held by another connection for 1 s makes a transaction wait, not fail")
    func waitsForLock() async throws {
        let location = temporaryDatabase()
        try await withStore(location) { store in
            try await store.migrate([counterMigration])
            try await withStore(location) { other in
                let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await other.transaction { database in
                            try await database.raw("UPDATE counter SET value = 10 WHERE id = 1").run()
                            startedContinuation.yield()
                            try await Task.sleep(for: .seconds(1))
                        }
                    }
                    for await _ in started { break }
                    let clock = ContinuousClock()
                    let start = clock.now
                    try await store.transaction { database in
                        try await database.raw("UPDATE counter SET value = value + 1 WHERE id = 1").run()
                    }
                    #expect(clock.now - start > .milliseconds(500))
                    try await group.waitForAll()
                }
            }
            #expect(try await counter(store) == 11)
        }
    }

    @Test("a lock held longer than busy_timeout yields a transient busy error")
    func busyIsTransient() async throws {
        let location = temporaryDatabase()
        try await withStore(location, busyTimeout: .milliseconds(200)) { store in
            try await store.migrate([counterMigration])
            try await withStore(location) { other in
                let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await other.transaction { _ in
                            startedContinuation.yield()
                            try await Task.sleep(for: .seconds(1))
                        }
                    }
                    for await _ in started { break }
                    await #expect {
                        try await store.transaction { database in
                            try await database.raw("UPDATE counter SET value = 1 WHERE id = 1").run()
                        }
                    } throws: { error in
                        let error = error as? SQLStoreError
                        return error?.code == .busy && error?.isTransient == true
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await counter(store) == 0)
        }
    }

    @Test("migrations apply in version order whatever the list order, and a second run applies nothing")
    func migrationsInOrder() async throws {
        let migrations = [
            SQLMigration(version: 2, name: "add index", statements: ["CREATE INDEX counter_value ON counter (value)"]),
            counterMigration,
            SQLMigration(version: 3, name: "seed") { database in
                try await database.insert(into: "counter").columns("id", "value").values(SQLBind(2), SQLBind(5)).run()
            },
        ]
        let location = temporaryDatabase()
        try await withStore(location) { store in
            #expect(try await store.migrate(migrations) == [1, 2, 3])
            #expect(try await store.migrate(migrations) == [])
            let recorded = try await store.read { database in
                try await database.raw("SELECT version, name, applied_at FROM npq_schema_migrations ORDER BY version")
                    .all()
                    .map { row in
                        let version = try row.decode(column: "version", as: Int.self)
                        let appliedAt = try row.decode(column: "applied_at", as: String.self)
                        return appliedAt.isEmpty ? "?" : "\(version) \(try row.decode(column: "name", as: String.self))"
                    }
            }
            #expect(recorded == ["1 counter", "2 add index", "3 seed"])
        }
        // A later release adds a version; reopening applies only that one.
        let later = migrations + [SQLMigration(version: 4, name: "more", statements: ["CREATE TABLE t4 (x TEXT)"])]
        try await withStore(location) { store in
            let applied = try await store.migrate(later)
            #expect(applied == [4])
        }
    }

    @Test("a database migrated by a newer release is refused before anything changes")
    func downgradeRefused() async throws {
        let location = temporaryDatabase()
        let newer = [counterMigration, SQLMigration(version: 2, name: "t2", statements: ["CREATE TABLE t2 (x TEXT)"])]
        try await withStore(location) { try await $0.migrate(newer) }
        try await withStore(location) { store in
            await #expect {
                try await store.migrate([counterMigration])
            } throws: { error in
                let error = error as? SQLStoreError
                return error?.code == .unknownSchemaVersion && error?.message.contains("schema version 2") == true
            }
        }
    }

    @Test("a renamed applied migration is refused")
    func renameRefused() async throws {
        let location = temporaryDatabase()
        try await withStore(location) { try await $0.migrate([counterMigration]) }
        try await withStore(location) { store in
            let renamed = SQLMigration(version: 1, name: "counters", statements: [])
            await #expect {
                try await store.migrate([renamed])
            } throws: { error in
                (error as? SQLStoreError)?.code == .migrationRenamed
            }
        }
    }

    @Test("a failing migration leaves neither its changes nor its record, and earlier ones stay applied")
    func failingMigration() async throws {
        try await withStore(temporaryDatabase()) { store in
            let broken = SQLMigration(
                version: 2, name: "broken",
                statements: ["CREATE TABLE half (x TEXT)", "INSERT INTO no_such_table VALUES (1)"])
            await #expect(throws: SQLStoreError.self) {
                try await store.migrate([counterMigration, broken])
            }
            #expect(try await tableExists("counter", in: store))
            #expect(try await tableExists("half", in: store) == false)
            let versions = try await store.read { database in
                try await database.raw("SELECT version FROM npq_schema_migrations").all(
                    decodingColumn: "version", as: Int.self)
            }
            #expect(versions == [1])
        }
    }

    @Test("a duplicate migration version is rejected")
    func duplicateVersion() async throws {
        try await withStore(.sqliteInMemory) { store in
            await #expect {
                try await store.migrate([counterMigration, SQLMigration(version: 1, name: "again", statements: [])])
            } throws: { error in
                (error as? SQLStoreError)?.code == .invalidMigrations
            }
        }
    }

    @Test("an in-memory store migrates, writes and reads on its one connection")
    func inMemory() async throws {
        try await withStore(.sqliteInMemory) { store in
            try await store.migrate([counterMigration])
            try await store.transaction { database in
                try await database.raw("UPDATE counter SET value = 3 WHERE id = 1").run()
            }
            #expect(try await counter(store) == 3)
        }
    }

    @Test("a closed store refuses work with a closed error")
    func closed() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        try await store.close()
        try await store.close()
        await #expect {
            try await store.transaction { _ in }
        } throws: { error in
            (error as? SQLStoreError)?.code == .closed
        }
    }

    @Test("the outbox's pending rows come oldest first, as many as each call's limit, however the limit varies")
    func pendingRowsHonourEachLimit() async throws {
        try await withStore(temporaryDatabase()) { store in
            try await store.migrate(MessageStore.migrations)
            let messages = (0..<7).map { index in
                OutgoingMessage(
                    exchange: "npq.events", routingKey: "test.v1", messageID: "m\(index)", type: "npq.test.v1",
                    correlationID: nil, appID: "npq-test", timestamp: Date(timeIntervalSince1970: 1_800_000_000),
                    headers: [:], body: Data("{}".utf8), mandatory: false)
            }
            try await store.transaction { try await MessageStore.enqueue(messages, at: Date(), in: $0) }
            // The limit is part of the statement's text: each value is a statement of its own, and a value seen
            // before reuses its cached statement.
            for (limit, expected) in [(2, 2), (5, 5), (2, 2), (0, 0), (10, 7), (5, 5)] {
                let rows = try await store.read { try await MessageStore.pending(limit: limit, in: $0) }
                #expect(rows.map(\.message.messageID) == (0..<expected).map { "m\($0)" }, "limit \(limit)")
            }
            let first = try await store.read { try await MessageStore.pending(limit: 3, in: $0) }
            try await store.transaction {
                try await MessageStore.markPublished(first.map(\.id), at: Date(), in: $0)
            }
            let rest = try await store.read { try await MessageStore.pending(limit: 3, in: $0) }
            #expect(rest.map(\.message.messageID) == ["m3", "m4", "m5"])

            // Run again and again with its limit, the relay's statement is never parsed again (a bound LIMIT made
            // SQLite re-prepare it at every run).
            _ = try await store.readOnWriter { try await MessageStore.pending(limit: 3, in: $0) }
            let before = await store.writerReprepares()
            for _ in 0..<5 {
                _ = try await store.readOnWriter { try await MessageStore.pending(limit: 3, in: $0) }
            }
            #expect(await store.writerReprepares() == before)
        }
    }
}
