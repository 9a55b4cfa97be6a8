import Foundation

/// A lead provider's offering of a course in a cohort was set, changed or withdrawn.
public struct CohortOfferingUpdated: MessageContract {
    public var offering: OfferingDetails
    /// The broker user that sent the command, or `reference-file`.
    public var updatedBy: String
    public var updatedAt: Date

    public init(offering: OfferingDetails, updatedBy: String, updatedAt: Date) {
        self.offering = offering
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public static let name = "cohort.offering.updated"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary = "A lead provider's offering of a course in a cohort was set, changed or withdrawn."

    public static var schema: JSONSchema {
        .object(
            [
                "offering": OfferingDetails.schema.described("The offering as it now stands."),
                "updatedBy": JSONSchema.string(minLength: 1, maxLength: 128).described(
                    "The broker user that sent the command, or reference-file."),
                "updatedAt": JSONSchema.dateTime.described("When the change took effect."),
            ],
            required: ["offering", "updatedBy", "updatedAt"], additionalProperties: true)
    }

    public static var example: CohortOfferingUpdated {
        CohortOfferingUpdated(
            offering: .example, updatedBy: "npq-operator", updatedAt: RFC3339.parse("2026-06-01T09:00:00Z")!)
    }
}
