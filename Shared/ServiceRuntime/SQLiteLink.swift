import NIOCore
import SQLiteNIO
// The SQLite that SQLiteNIO vendors (its functions prefixed `sqlite_nio_`). It must be the very same copy: two
// copies of SQLite in one process break each other's POSIX file locks on the same database.
import VaporCSQLite

/// One SQLite connection, used only from its ``StoreThread``, with its prepared statements kept for reuse.
///
/// Every statement runs synchronously on the calling thread, which must be the link's own thread (checked): the
/// store runs whole transactions there, so a transaction costs no thread hop per statement, and a statement seen
/// before is not parsed again (SQLite re-prepares it by itself after a schema change).
final class SQLiteLink: @unchecked Sendable {
    /// The thread every call must run on.
    let thread: StoreThread
    /// Where the database is, for errors and logs.
    let path: String
    /// Confined to `thread`.
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text; confined to `thread`.
    private var statements: [String: OpaquePointer] = [:]
    /// How many prepared statements are kept at most.
    static let statementCacheLimit = 256
    /// Statements with more parameters than this are prepared for one use.
    static let cachedParameterLimit: Int32 = 32

    private init(thread: StoreThread, path: String, handle: OpaquePointer) {
        self.thread = thread
        self.path = path
        self.handle = handle
    }

    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one) on `thread`.
    static func open(path: String, on thread: StoreThread) async throws -> SQLiteLink {
        try await withTaskExecutorPreference(thread) {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
            let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            guard status == SQLITE_OK, let handle else {
                let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
                sqlite_nio_sqlite3_close_v2(handle)
                throw SQLiteLinkError(code: status, message: "cannot open \(path): \(message ?? "error \(status)")")
            }
            return SQLiteLink(thread: thread, path: path, handle: handle)
        }
    }

    /// Runs one statement with `binds`, calling `onRow` for each row it returns.
    func execute(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteLinkRow) -> Void) throws {
        precondition(thread.isCurrent, "an SQLite statement ran off its store's thread")
        guard let handle else { throw SQLiteLinkError(code: SQLITE_MISUSE, message: "the connection is closed") }
        let (statement, cached) = try prepared(sql, handle: handle)
        defer {
            if cached {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            } else {
                sqlite_nio_sqlite3_finalize(statement)
            }
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let integer):
                status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .float(let double):
                status = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .text(let text):
                status = text.withCString { characters in
                    sqlite_nio_sqlite3_bind_text64(
                        statement, index, characters, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let buffer):
                status = buffer.withUnsafeReadableBytes { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0)
                    }
                    return sqlite_nio_sqlite3_bind_blob64(statement, index, base, UInt64(bytes.count), transient)
                }
            case .null:
                status = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard status == SQLITE_OK else { throw error(status, handle: handle) }
        }

        var columns: SQLiteLinkColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(status, handle: handle) }
            let names = columns ?? Self.columns(of: statement)
            columns = names
            var values: [SQLiteData] = []
            values.reserveCapacity(names.names.count)
            for index in 0..<Int32(names.names.count) {
                values.append(Self.value(statement, index))
            }
            onRow(SQLiteLinkRow(columns: names, values: values))
        }
    }

    /// How many times the cached statements were parsed again since they were prepared (SQLite's
    /// `SQLITE_STMTSTATUS_REPREPARE`), summed.
    var reprepares: Int {
        precondition(thread.isCurrent, "an SQLite statement was read off its store's thread")
        return statements.values.reduce(0) {
            $0 + Int(sqlite_nio_sqlite3_stmt_status($1, SQLITE_STMTSTATUS_REPREPARE, 0))
        }
    }

    /// Finalizes the statements and closes the connection; idempotent.
    func close() {
        precondition(thread.isCurrent, "an SQLite connection closed off its store's thread")
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The statement for `sql`, and whether it stays cached: one seen before, or prepared now and kept unless it
    /// has many parameters (an `IN` list of a varying length, which seldom comes again). A full cache gives up one
    /// entry.
    private func prepared(_ sql: String, handle: OpaquePointer) throws -> (OpaquePointer, cached: Bool) {
        if let statement = statements[sql] { return (statement, true) }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK else { throw error(status, handle: handle) }
        // An empty or comment-only text prepares to no statement at all.
        guard let statement else {
            throw SQLiteLinkError(code: SQLITE_MISUSE, message: "no SQL statement in the text")
        }
        guard sqlite_nio_sqlite3_bind_parameter_count(statement) <= Self.cachedParameterLimit else {
            return (statement, false)
        }
        if statements.count >= Self.statementCacheLimit, let evicted = statements.first {
            sqlite_nio_sqlite3_finalize(evicted.value)
            statements[evicted.key] = nil
        }
        statements[sql] = statement
        return (statement, true)
    }

    private func error(_ status: Int32, handle: OpaquePointer) -> SQLiteLinkError {
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "error \(status)"
        return SQLiteLinkError(code: sqlite_nio_sqlite3_extended_errcode(handle), message: message)
    }

    private static func columns(of statement: OpaquePointer) -> SQLiteLinkColumns {
        let count = sqlite_nio_sqlite3_column_count(statement)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        for index in 0..<count {
            names.append(sqlite_nio_sqlite3_column_name(statement, index).map { String(cString: $0) } ?? "")
        }
        return SQLiteLinkColumns(names: names)
    }

    private static func value(_ statement: OpaquePointer, _ index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, index), count > 0 else {
                return .blob(ByteBuffer())
            }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}

/// SQLite's "copy the value now" destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A statement's column names, shared by all its rows, with the first column of each name found by name.
final class SQLiteLinkColumns: Sendable {
    let names: [String]
    let offsets: [String: Int]

    init(names: [String]) {
        self.names = names
        var offsets: [String: Int] = [:]
        for (offset, name) in names.enumerated() where offsets[name] == nil { offsets[name] = offset }
        self.offsets = offsets
    }
}

/// One row a statement returned.
struct SQLiteLinkRow: Sendable {
    let columns: SQLiteLinkColumns
    let values: [SQLiteData]

    /// The value of the first column named `name`, or `nil` when there is none.
    func value(_ name: String) -> SQLiteData? {
        columns.offsets[name].map { values[$0] }
    }
}

/// An error SQLite reported: its extended result code and message.
struct SQLiteLinkError: Error, CustomStringConvertible, Sendable {
    /// The extended result code; `code & 0xff` is the primary one (`SQLITE_BUSY`, …).
    let code: Int32
    let message: String

    var description: String { message }
}
