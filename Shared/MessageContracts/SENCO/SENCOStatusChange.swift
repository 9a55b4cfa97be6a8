import Foundation

/// One change of a spell's status.
public struct SENCOStatusChange: Codable, Sendable, Equatable {
    /// `nil` for the first status.
    public var from: SENCOStatus?
    public var to: SENCOStatus
    /// The day the evaluation that changed it was made for.
    public var on: CalendarDate
    public var reason: String
    /// What caused the evaluation: a message type, or `daily sweep`.
    public var cause: String

    public init(from: SENCOStatus?, to: SENCOStatus, on: CalendarDate, reason: String, cause: String) {
        self.from = from
        self.to = to
        self.on = on
        self.reason = reason
        self.cause = cause
    }

    public static var schema: JSONSchema {
        .object(
            [
                "from": JSONSchema.enumeration(of: SENCOStatus.self).nullable().described("The status before."),
                "to": .enumeration(of: SENCOStatus.self).described("The status after."),
                "on": JSONSchema.date.described("The day the evaluation was made for."),
                "reason": .string(minLength: 1, maxLength: 1_000).described("Why."),
                "cause": .string(minLength: 1, maxLength: 200).described("What caused the evaluation."),
            ],
            required: ["to", "on", "reason", "cause"], additionalProperties: true)
    }
}
