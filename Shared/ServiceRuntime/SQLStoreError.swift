import SQLiteNIO

/// A storage failure, with a code callers branch on and a message naming what was being done.
///
/// ``isTransient`` separates "try again later" (another writer holds the lock) from "this will never work" (a
/// constraint violation, a schema this binary does not know); the consumer loop retries the first kind through the
/// retry queues and parks the second.
public struct SQLStoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as a closed set of cases that can still grow without breaking `switch`-free callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case busy, locked, constraint, readOnly, cannotOpen, database
            case closed, notWAL
            case invalidMigrations, unknownSchemaVersion, migrationRenamed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Another connection holds the write lock past the busy timeout (`SQLITE_BUSY`).
        public static let busy = Code(.busy)
        /// A table is locked by a conflicting operation on a shared connection (`SQLITE_LOCKED`).
        public static let locked = Code(.locked)
        /// A uniqueness, foreign key, not-null or check constraint rejected a write.
        public static let constraint = Code(.constraint)
        /// The database or its directory is read-only.
        public static let readOnly = Code(.readOnly)
        /// The database file cannot be opened or created.
        public static let cannotOpen = Code(.cannotOpen)
        /// Any other error reported by the database.
        public static let database = Code(.database)
        /// The store was used after ``SQLStore/close()``.
        public static let closed = Code(.closed)
        /// The database file could not be switched to write-ahead logging (e.g. on a network file system).
        public static let notWAL = Code(.notWAL)
        /// The migration list itself is wrong: a duplicate or non-positive version, or an empty name.
        public static let invalidMigrations = Code(.invalidMigrations)
        /// The database has a schema version this binary does not know: it was migrated by a newer release.
        public static let unknownSchemaVersion = Code(.unknownSchemaVersion)
        /// An applied migration's name differs from this binary's migration of the same version.
        public static let migrationRenamed = Code(.migrationRenamed)

        /// The code's name, e.g. `busy`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// What was being done and what the database said, e.g. `BEGIN IMMEDIATE: database is locked`.
    public let message: String
    /// The driver's own error, when there is one.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Whether retrying later may succeed: the database was busy or locked by another writer.
    public var isTransient: Bool {
        code == .busy || code == .locked
    }

    /// `code: message`, for logs.
    public var description: String {
        "\(code): \(message)"
    }

    /// `error` as a ``SQLStoreError`` when it came from SQLite, or unchanged (callers' own errors pass through).
    static func wrapping(_ error: any Error, while action: String) -> any Error {
        if let link = error as? SQLiteLinkError {
            return SQLStoreError(
                code: code(forResult: link.code), message: "\(action): \(link.message)", underlying: link)
        }
        guard let sqlite = error as? SQLiteError else { return error }
        return SQLStoreError(
            code: code(for: sqlite.reason), message: "\(action): \(sqlite.message)", underlying: sqlite)
    }

    /// The code for an SQLite result code (`SQLITE_BUSY`, …), extended codes folded into their primary code.
    static func code(forResult result: Int32) -> Code {
        switch result & 0xff {
        case 5: .busy  // SQLITE_BUSY
        case 6: .locked  // SQLITE_LOCKED
        case 8: .readOnly  // SQLITE_READONLY
        case 14: .cannotOpen  // SQLITE_CANTOPEN
        case 19: .constraint  // SQLITE_CONSTRAINT
        default: .database
        }
    }

    /// The code for an SQLiteNIO error reason, extended codes folded into their primary code.
    static func code(for reason: SQLiteError.Reason) -> Code {
        switch reason {
        case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout:
            .busy
        case .locked, .lockedBySharedCache, .lockedVirtualTable:
            .locked
        case .constraint, .constraintCheckFailed, .constraintCommitHookFailed, .constraintForeignKeyFailed,
            .constraintUserFunctionFailed, .constraintNotNullFailed, .constraintPrimaryKeyFailed,
            .constraintTriggerFailed, .constraintUniqueFailed, .constraintVirtualTableFailed,
            .constraintUniqueRowIDFailed, .constraintUpdateTriggerDeletedRow, .constraintStrictDataTypeFailed:
            .constraint
        case .readOnly, .readonlyInRecovery, .readonlyCantLock, .readonlyInRollback, .readonlyBackingMoved,
            .readonlyDirectory:
            .readOnly
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenCygwinPath, .cantOpenUnfollowedSymlink:
            .cannotOpen
        default:
            .database
        }
    }
}
