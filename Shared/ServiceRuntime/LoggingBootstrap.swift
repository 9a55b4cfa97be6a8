import Logging
import Synchronization

/// Installs the process-wide log handler once, in the format and level the configuration asks for.
///
/// swift-log allows one `LoggingSystem.bootstrap` per process and traps on a second; services call this first thing
/// in `main`, and tests may call it repeatedly, so later calls are ignored.
public enum LoggingBootstrap {
    /// Whether `LoggingSystem.bootstrap` has been called through here.
    private static let done = Mutex(false)

    /// Bootstraps swift-log with JSON lines or swift-log's text handler, tagging every line with `service`.
    ///
    /// - Returns: `true` if this call installed the handler, `false` if an earlier call already had.
    @discardableResult
    public static func bootstrap(format: LogFormat, level: Logger.Level, service: String) -> Bool {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return false }
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, service: service, logLevel: level)
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                handler[metadataKey: LogKey.service] = .string(service)
                return handler
            }
        }
        return true
    }
}
