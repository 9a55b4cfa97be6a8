/// Where a service's database lives, parsed from `NPQ_DATABASE_URL`.
///
/// Only SQLite is built into this release; a PostgreSQL case will join these once its driver is linked, behind the
/// same `SQLDatabase` interface that ``SQLStore`` hands out.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file; a relative path is relative to the working directory.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database that lives as long as its ``SQLStore`` (tests, throwaway runs).
    case sqliteInMemory

    /// Parses `sqlite:///absolute/path`, `sqlite://relative/path` or `sqlite::memory:`.
    ///
    /// - Throws: a ``ConfigurationError`` naming `variable` for anything else, with a specific message for
    ///   PostgreSQL URLs so an operator learns that the scheme is right but the backend is missing.
    public init(parsing text: String, variable: String) throws(ConfigurationError) {
        let rule = "must be sqlite:///absolute/path, sqlite://relative/path or sqlite::memory:"
        let shown = ConfigurationReader.masked(text, variable: variable)
        let lowered = text.lowercased()
        if lowered == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if lowered.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty, !path.contains("\0"), !path.contains("?"), path != "/" else {
                throw ConfigurationError(code: .invalidValue, variable: variable, value: shown, rule: rule)
            }
            self = .sqliteFile(path: path)
        } else if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            throw ConfigurationError(
                code: .invalidValue, variable: variable, value: shown,
                rule: "names PostgreSQL, but PostgreSQL is not built into this release; use sqlite:///path")
        } else {
            throw ConfigurationError(code: .invalidValue, variable: variable, value: shown, rule: rule)
        }
    }

    /// The location as a URL, the way `NPQ_DATABASE_URL` spells it.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteInMemory: "sqlite::memory:"
        }
    }
}
