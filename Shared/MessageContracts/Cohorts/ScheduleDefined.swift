import Foundation

/// A schedule was defined or its milestone dates changed.
public struct ScheduleDefined: MessageContract {
    public var schedule: ScheduleDetails
    /// The broker user that sent the command, or `reference-file`.
    public var definedBy: String
    public var definedAt: Date

    public init(schedule: ScheduleDetails, definedBy: String, definedAt: Date) {
        self.schedule = schedule
        self.definedBy = definedBy
        self.definedAt = definedAt
    }

    public static let name = "schedule.defined"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A schedule was defined or its milestone dates changed."

    public static var schema: JSONSchema {
        .object(
            [
                "schedule": ScheduleDetails.schema.described("The schedule as now defined."),
                "definedBy": JSONSchema.string(minLength: 1, maxLength: 128).described(
                    "The broker user that sent the command, or reference-file."),
                "definedAt": JSONSchema.dateTime.described("When the definition took effect."),
            ],
            required: ["schedule", "definedBy", "definedAt"], additionalProperties: true)
    }

    public static var example: ScheduleDefined {
        ScheduleDefined(
            schedule: .example, definedBy: "reference-file", definedAt: RFC3339.parse("2026-06-01T09:00:00Z")!)
    }
}
