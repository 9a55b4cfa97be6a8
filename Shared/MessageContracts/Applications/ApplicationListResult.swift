import Foundation

/// The reply to ``ApplicationList``.
public struct ApplicationListResult: MessageContract {
    public var applications: [ApplicationView]
    /// Pass as `cursor` for the next page; absent on the last page.
    public var nextCursor: String?

    public init(applications: [ApplicationView], nextCursor: String?) {
        self.applications = applications
        self.nextCursor = nextCursor
    }

    public static let name = "application.list.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "A page of applications, oldest change first, with the cursor of the next page."

    public static var schema: JSONSchema {
        .object(
            [
                "applications": .array(of: ApplicationView.schema, maxItems: 500).described("The page."),
                "nextCursor": JSONSchema.string(maxLength: 200).nullable().described("The next page's cursor."),
            ],
            required: ["applications"], additionalProperties: true)
    }

    public static var example: ApplicationListResult {
        ApplicationListResult(
            applications: [.example], nextCursor: "2026-07-08T09:12:00.000Z|5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")
    }
}
