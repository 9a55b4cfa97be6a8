/// How log lines are written: JSON for machines (the default off a terminal), text for a person at a terminal.
public enum LogFormat: String, Sendable, CaseIterable, Equatable {
    /// One JSON object per line, see ``JSONLogHandler``.
    case json
    /// swift-log's human-readable `StreamLogHandler` lines.
    case text
}
