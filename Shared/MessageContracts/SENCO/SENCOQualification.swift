import Foundation

/// A SENCO qualification held or in progress.
public struct SENCOQualification: Codable, Sendable, Equatable {
    /// `npq-senco`, `nasenco`, or another award (recorded, but not qualifying).
    public var award: String
    public var startedOn: CalendarDate?
    public var completedOn: CalendarDate?
    /// `passed` or `failed`, for the NPQ.
    public var outcome: String?
    public var outcomeOn: CalendarDate?

    public init(
        award: String, startedOn: CalendarDate? = nil, completedOn: CalendarDate? = nil, outcome: String? = nil,
        outcomeOn: CalendarDate? = nil
    ) {
        self.award = award
        self.startedOn = startedOn
        self.completedOn = completedOn
        self.outcome = outcome
        self.outcomeOn = outcomeOn
    }

    public static var schema: JSONSchema {
        .object(
            [
                "award": .string(
                    minLength: 1, maxLength: 64, pattern: "^[a-z0-9]+(-[a-z0-9]+)*$",
                    patternDescription: "lowercase words joined by hyphens, e.g. nasenco or npq-senco"
                ).described("nasenco, npq-senco, or another award (recorded, not qualifying)."),
                "startedOn": JSONSchema.date.nullable().described("When the course started."),
                "completedOn": JSONSchema.date.nullable().described("When it was completed (NASENCO)."),
                "outcome": JSONSchema.enumeration(["passed", "failed"]).nullable().described("The NPQ's outcome."),
                "outcomeOn": JSONSchema.date.nullable().described("When the outcome was given."),
            ],
            required: ["award"])
    }
}
