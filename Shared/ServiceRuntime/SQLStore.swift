import Foundation
import Logging
import SQLKit
import Synchronization

/// A service's own database: SQLite in write-ahead-log mode, handed out as SQLKit's `SQLDatabase`.
///
/// Writes go through ``transaction(_:)``: `BEGIN IMMEDIATE … COMMIT` on a single writer connection, one transaction
/// at a time in arrival order, rolled back if the body throws. Taking the write lock at `BEGIN` (rather than at the
/// first write) means a busy database fails or waits up front, never halfway through the body. Reads go through
/// ``read(_:)`` on a separate read-only connection, which WAL lets run beside a writer.
///
/// Each connection has a thread of its own (``StoreThread``), and a transaction's whole body runs there: SQLite's
/// blocking calls (a writer waiting out another process's lock with `busy_timeout`, say) never block Swift's
/// cooperative threads or another store, and a transaction costs one thread hop in and one out, not two per
/// statement. Statements are prepared once and reused. Call ``close()`` when done.
///
/// Handlers receive `any SQLDatabase` and should stick to SQLKit builders or portable SQL, so that a PostgreSQL
/// backend can later sit behind the same interface (there `BEGIN IMMEDIATE` becomes `BEGIN` plus row locks).
public final class SQLStore: Sendable {
    /// Where this store's data lives.
    public let location: DatabaseLocation
    private let writer: SQLiteLink
    private let writerGate = ConnectionGate()
    /// The read-only connection; `nil` in memory, where SQLite allows only one connection per database.
    private let reader: SQLiteLink?
    private let readerGate = ConnectionGate()
    private let logger: Logger
    private let isClosed = Mutex(false)
    private let finishedWrites = Atomic<Int>(0)

    private init(location: DatabaseLocation, writer: SQLiteLink, reader: SQLiteLink?, logger: Logger) {
        self.location = location
        self.writer = writer
        self.reader = reader
        self.logger = logger
    }

    /// Opens (creating if needed, with its directory) the database at `location` and configures its connections.
    ///
    /// - Parameters:
    ///   - busyTimeout: How long a statement waits for another connection's lock before failing with a transient
    ///     ``SQLStoreError/Code/busy``; SQLite's `busy_timeout`, 5 s by default.
    ///   - logger: Receives SQL at debug level and store life-cycle events.
    public static func open(
        _ location: DatabaseLocation, busyTimeout: Duration = .seconds(5), logger: Logger
    ) async throws -> SQLStore {
        var opened: [SQLiteLink] = []
        var threads: [StoreThread] = []
        do {
            let path: String
            switch location {
            case .sqliteInMemory:
                path = ":memory:"
            case .sqliteFile(let file):
                let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
                do {
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                } catch {
                    throw SQLStoreError(
                        code: .cannotOpen, message: "cannot create directory \(directory.path): \(error)",
                        underlying: error)
                }
                path = file
            }
            let milliseconds =
                busyTimeout.components.seconds * 1000
                + busyTimeout.components.attoseconds / 1_000_000_000_000_000

            threads.append(StoreThread(name: "sqlite-writer"))
            let writer = try await connect(path, on: threads[0])
            opened.append(writer)
            let writerDatabase = SQLiteLinkDatabase(link: writer, logger: logger)
            // busy_timeout first, so that switching to WAL waits for a writer in another process.
            try await run("PRAGMA busy_timeout = \(milliseconds)", on: writerDatabase)
            if case .sqliteFile = location {
                let mode = try await writerDatabase.raw("PRAGMA journal_mode = WAL").first()
                    .flatMap { try? $0.decode(column: "journal_mode", as: String.self) }
                guard mode?.lowercased() == "wal" else {
                    throw SQLStoreError(
                        code: .notWAL, message: "\(location) stayed in journal mode \(mode ?? "unknown"), not WAL")
                }
            }
            // NORMAL is durable in WAL mode except for the last commits on power loss, never corrupting.
            try await run("PRAGMA synchronous = NORMAL", on: writerDatabase)
            try await run("PRAGMA foreign_keys = ON", on: writerDatabase)

            var reader: SQLiteLink?
            if case .sqliteFile = location {
                threads.append(StoreThread(name: "sqlite-reader"))
                let connection = try await connect(path, on: threads[1])
                opened.append(connection)
                let readerDatabase = SQLiteLinkDatabase(link: connection, logger: logger)
                try await run("PRAGMA busy_timeout = \(milliseconds)", on: readerDatabase)
                try await run("PRAGMA foreign_keys = ON", on: readerDatabase)
                // Makes a write slipped into read(_:) fail loudly instead of bypassing the writer's queue.
                try await run("PRAGMA query_only = ON", on: readerDatabase)
                reader = connection
            }
            logger.debug("database opened", metadata: ["database": "\(location)"])
            return SQLStore(location: location, writer: writer, reader: reader, logger: logger)
        } catch {
            for connection in opened {
                await withTaskExecutorPreference(connection.thread) { connection.close() }
            }
            for thread in threads { await thread.stop() }
            throw error
        }
    }

    /// Runs `body` in a write transaction and commits; rolls back and rethrows if anything throws.
    ///
    /// Transactions run one at a time on the writer connection, in arrival order: a second caller waits until the
    /// first commits or rolls back. SQLite errors arrive as ``SQLStoreError`` (check ``SQLStoreError/isTransient``);
    /// errors thrown by `body` itself pass through unchanged.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try checkOpen()
        let writer = self.writer
        let logger = self.logger
        defer { finishedWrites.add(1, ordering: .relaxed) }
        return try await writerGate.withGate {
            try await withTaskExecutorPreference(writer.thread) {
                try await Self.inTransaction(
                    SQLiteLinkDatabase(link: writer, logger: logger), begin: "BEGIN IMMEDIATE", body)
            }
        }
    }

    /// The writer connection's thread, as a task executor. Long-lived loops that mostly wait for a delivery or a
    /// confirm and then write (the consumer, the outbox relay, background workers) prefer it, so that a transaction
    /// costs them no thread hop in and out, and a wake-up from the broker's thread lands where the next
    /// statement will run.
    public var writerExecutor: any TaskExecutor { writer.thread }

    /// How many write transactions have finished (committed or rolled back) since the store was opened: a measure of
    /// the service's activity (``HeapTrimService`` waits for it to stand still).
    public var writeTransactions: Int { finishedWrites.load(ordering: .relaxed) }

    /// Runs `body` in a read transaction, so its queries see one consistent snapshot.
    ///
    /// Uses the read-only connection beside the writer, so reads do not queue behind transactions; for
    /// `sqlite::memory:` there is only one connection and reads queue with the writes.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await readTransaction(on: reader.map { ($0, readerGate) } ?? (writer, writerGate), body)
    }

    /// Runs `body` in a read transaction on the writer connection, queued with the write transactions.
    ///
    /// For a loop that already runs on the writer's thread (``writerExecutor``) and writes right after it reads, as
    /// the outbox relay does: the read then costs no hop to the reader's thread and back. Everyone else should use
    /// ``read(_:)``, which does not wait for the writes.
    public func readOnWriter<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await readTransaction(on: (writer, writerGate), body)
    }

    /// `BEGIN … COMMIT` around `body` on `connection`'s link, in turn at its gate, on its thread.
    private func readTransaction<T: Sendable>(
        on connection: (link: SQLiteLink, gate: ConnectionGate), _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try checkOpen()
        let logger = self.logger
        let link = connection.link
        return try await connection.gate.withGate {
            try await withTaskExecutorPreference(link.thread) {
                try await Self.inTransaction(SQLiteLinkDatabase(link: link, logger: logger), begin: "BEGIN", body)
            }
        }
    }

    /// How many times SQLite has parsed the writer's cached statements again (a schema change, or a value bound
    /// where it may change the plan), for tests.
    func writerReprepares() async -> Int {
        let writer = self.writer
        return await withTaskExecutorPreference(writer.thread) { writer.reprepares }
    }

    /// Waits for running transactions and reads, then closes the connections and their threads; idempotent.
    public func close() async throws {
        let alreadyClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        // Taking both gates lets work that was already admitted finish first.
        await writerGate.acquire()
        await readerGate.acquire()
        defer {
            readerGate.release()
            writerGate.release()
        }
        for link in [reader, writer].compactMap({ $0 }) {
            await withTaskExecutorPreference(link.thread) { link.close() }
            await link.thread.stop()
        }
        logger.debug("database closed", metadata: ["database": "\(location)"])
    }

    /// Throws ``SQLStoreError/Code/closed`` after ``close()``.
    private func checkOpen() throws {
        if isClosed.withLock({ $0 }) {
            throw SQLStoreError(code: .closed, message: "\(location) was used after close()")
        }
    }

    /// `begin`, `body`, `COMMIT`; `ROLLBACK` if any of it throws.
    private static func inTransaction<T: Sendable>(
        _ database: SQLiteLinkDatabase, begin: String, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await run(begin, on: database)
        do {
            let value = try await body(database)
            try await run("COMMIT", on: database)
            return value
        } catch {
            // In a task of its own, so that a cancelled caller still rolls back: otherwise the connection would stay
            // inside this transaction and every later BEGIN would fail. Fails harmlessly when SQLite already rolled
            // back (e.g. after a failed COMMIT).
            await Task(executorPreference: database.link.thread) { try? await database.raw("ROLLBACK").run() }.value
            throw SQLStoreError.wrapping(error, while: "transaction")
        }
    }

    /// Runs one fixed statement, naming it in the error.
    private static func run(_ sql: String, on database: any SQLDatabase) async throws {
        do {
            try await database.raw(SQLQueryString(sql)).run()
        } catch {
            throw SQLStoreError.wrapping(error, while: sql)
        }
    }

    /// Opens one connection, naming the location in the error.
    private static func connect(_ path: String, on thread: StoreThread) async throws -> SQLiteLink {
        do {
            return try await SQLiteLink.open(path: path, on: thread)
        } catch {
            throw SQLStoreError.wrapping(error, while: "opening \(path)")
        }
    }
}
