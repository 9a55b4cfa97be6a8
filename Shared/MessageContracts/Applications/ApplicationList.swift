import Foundation

/// Asks for a page of applications — a lead provider's own, or any for an operator — by cohort and last change.
public struct ApplicationList: MessageContract {
    public var cohort: String?
    /// Only applications changed at or after this time.
    public var updatedSince: Date?
    /// The `nextCursor` of the previous page.
    public var cursor: String?
    /// At most this many (default 100, at most 500).
    public var pageSize: Int?

    public init(cohort: String? = nil, updatedSince: Date? = nil, cursor: String? = nil, pageSize: Int? = nil) {
        self.cohort = cohort
        self.updatedSince = updatedSince
        self.cursor = cursor
        self.pageSize = pageSize
    }

    public static let name = "application.list"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Asks for a page of applications, oldest change first, optionally of one cohort and changed since a time; a lead provider sees only its own."

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": JSONSchema.cohortIdentifier.nullable().described("Only this cohort."),
                "updatedSince": JSONSchema.dateTime.nullable().described("Only those changed at or after this time."),
                "cursor": JSONSchema.string(maxLength: 200).nullable().described("The previous page's nextCursor."),
                "pageSize": JSONSchema.integer(minimum: 1, maximum: 500).nullable().described(
                    "At most this many; 100 when absent."),
            ],
            required: [])
    }

    public static var example: ApplicationList { ApplicationList(cohort: "2026b", pageSize: 100) }
}
