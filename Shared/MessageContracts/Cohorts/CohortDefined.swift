import Foundation

/// A cohort was defined or its definition changed.
public struct CohortDefined: MessageContract {
    public var cohort: CohortSummary
    /// The broker user that sent the command, or `reference-file` when it came from the reference data at start.
    public var definedBy: String
    public var definedAt: Date

    public init(cohort: CohortSummary, definedBy: String, definedAt: Date) {
        self.cohort = cohort
        self.definedBy = definedBy
        self.definedAt = definedAt
    }

    public static let name = "cohort.defined"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A cohort was defined or its definition changed, by a command or the reference files."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": CohortSummary.schema.described("The cohort as now defined."),
                "definedBy": JSONSchema.string(minLength: 1, maxLength: 128).described(
                    "The broker user that sent the command, or reference-file."),
                "definedAt": JSONSchema.dateTime.described("When the definition took effect."),
            ],
            required: ["cohort", "definedBy", "definedAt"], additionalProperties: true)
    }

    public static var example: CohortDefined {
        CohortDefined(
            cohort: .example, definedBy: "npq-operator", definedAt: RFC3339.parse("2026-06-01T09:00:00Z")!)
    }
}
