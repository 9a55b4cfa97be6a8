import SQLKit

/// One step of a service's schema, applied once, in version order, inside its own transaction.
///
/// Once released, a migration is never edited or renamed: ``SQLStore/migrate(_:)`` refuses a database whose applied
/// names differ from the binary's. Change the schema with a new, higher version instead.
public struct SQLMigration: Sendable {
    /// The position of this step; positive, unique, and only ever appended to.
    public let version: Int
    /// A short name recorded beside the version, which catches a renumbered or replaced migration.
    public let name: String
    /// Applies the step on the migration's transaction.
    let apply: @Sendable (any SQLDatabase) async throws -> Void

    /// A migration of plain SQL statements, run in order.
    ///
    /// Keep to SQL that SQLite and PostgreSQL both accept (`TEXT`, `INTEGER`/`BIGINT`, `CREATE INDEX`), or use the
    /// closure form with SQLKit's builders, which render each dialect; notably `AUTOINCREMENT`, `BLOB` vs `BYTEA`
    /// and `BOOLEAN` differ.
    ///
    /// One statement per string: SQLite runs only the first statement of a string and ignores the rest, so a string
    /// holding two is refused when the migration runs rather than half-applied.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.apply = { database in
            for statement in statements {
                if let end = statement.firstIndex(of: ";"),
                    !statement[statement.index(after: end)...].allSatisfy(\.isWhitespace)
                {
                    throw SQLStoreError(
                        code: .invalidMigrations,
                        message: "migration \(version) \"\(name)\" has two statements in one string; give each its own")
                }
                try await database.raw(SQLQueryString(statement)).run()
            }
        }
    }

    /// A migration written against SQLKit, for steps that need builders or data fix-ups.
    public init(version: Int, name: String, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}
