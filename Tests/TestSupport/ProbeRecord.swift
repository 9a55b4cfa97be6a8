import Foundation
import MessageContracts

/// The probe service's command: record `key` once. `mode` makes the handler misbehave on purpose.
public struct ProbeRecord: MessageContract {
    /// How the probe's handler treats the message.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Record the key and publish `probe.recorded`.
        case ok
        /// Refuse it as a rule violation.
        case reject
        /// Throw a transient error every time.
        case fail
        /// Take 200 ms, then record it.
        case slow
        /// Kill the process (SIGKILL) before recording it, every time.
        case crash
        /// Refuse it as a rule violation until the key is allowed (``RuntimeProbe/allow(key:databasePath:)``), and
        /// whenever it comes with no publisher: a refusal an operator can mend, then replay (which must keep the
        /// publisher).
        case gated
        /// Record the key, then refuse it as a rule violation: the record must be undone with the refusal.
        case writeThenReject = "write-then-reject"
        /// Record the key, then throw a transient error, every time: the record must be undone each time.
        case writeThenFail = "write-then-fail"
    }

    public var key: String
    public var mode: Mode

    public init(key: String, mode: Mode = .ok) {
        self.key = key
        self.mode = mode
    }

    public static let name = "probe.record"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary = "Test-only: asks the runtime probe to record a key once."
    public static var schema: JSONSchema {
        .object(
            [
                "key": .string(
                    minLength: 1, maxLength: 64, pattern: "^[a-z0-9-]+$",
                    patternDescription: "lowercase letters, digits and hyphens"),
                "mode": .enumeration(of: Mode.self),
            ], required: ["key", "mode"])
    }
    public static var example: ProbeRecord { ProbeRecord(key: "k-1") }
}

/// The probe's event: `key` was recorded and has now been applied `applied` times (1, unless something is wrong).
public struct ProbeRecorded: MessageContract {
    public var key: String
    public var applied: Int

    public init(key: String, applied: Int) {
        self.key = key
        self.applied = applied
    }

    public static let name = "probe.recorded"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "Test-only: the runtime probe recorded a key."
    public static var schema: JSONSchema {
        .object(
            ["key": .string(minLength: 1, maxLength: 64), "applied": .integer(minimum: 1)],
            required: ["key", "applied"])
    }
    public static var example: ProbeRecorded { ProbeRecorded(key: "k-1", applied: 1) }
}
