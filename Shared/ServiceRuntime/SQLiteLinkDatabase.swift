import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLKit's `SQLDatabase` over an ``SQLiteLink``: SQLite's dialect and SQLiteKit's value encoding, so rows read and
/// written here are the same as through SQLiteKit's own driver.
///
/// A statement runs at once when the caller is on the link's thread (inside ``SQLStore/transaction(_:)`` or
/// ``SQLStore/read(_:)`` it always is); otherwise it hops there first.
struct SQLiteLinkDatabase: SQLDatabase {
    let link: SQLiteLink
    let logger: Logger
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try prepare(query)
        if link.thread.isCurrent {
            try run(sql, binds, onRow)
        } else {
            try await withTaskExecutorPreference(link.thread) { try run(sql, binds, onRow) }
        }
    }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await execute(sql: query, onRow) }
        return promise.futureResult
    }

    /// The SQL text and its values as SQLite stores them; logs the statement at debug level.
    private func prepare(_ query: any SQLExpression) throws -> (String, [SQLiteData]) {
        let (sql, rawBinds) = serialize(query)
        logger.debug("Executing query", metadata: ["sql": "\(sql)"])
        return (sql, try rawBinds.map { try encoder.encode($0) })
    }

    private func run(_ sql: String, _ binds: [SQLiteData], _ onRow: @Sendable (any SQLRow) -> Void) throws {
        let decoder = self.decoder
        try link.execute(sql, binds) { onRow(SQLiteLinkSQLRow(row: $0, decoder: decoder)) }
    }
}

/// SQLKit's `SQLRow` over an ``SQLiteLinkRow``.
private struct SQLiteLinkSQLRow: SQLRow {
    let row: SQLiteLinkRow
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { row.columns.names }

    func contains(column: String) -> Bool { row.columns.offsets[column] != nil }

    func decodeNil(column: String) throws -> Bool { (row.value(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let value = row.value(column) else {
            throw DecodingError.keyNotFound(
                SQLiteLinkColumnKey(stringValue: column),
                .init(codingPath: [], debugDescription: "the row has no column \(column)"))
        }
        return try decoder.decode(D.self, from: value)
    }
}

/// A column name as a coding key, for the error about a missing column.
private struct SQLiteLinkColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
