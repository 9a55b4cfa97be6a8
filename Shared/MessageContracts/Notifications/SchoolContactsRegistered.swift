import Foundation

/// A school's contacts were registered. Carries no personal data.
public struct SchoolContactsRegistered: MessageContract {
    public var schoolURN: String
    /// The roles that now have a contact.
    public var roles: [ContactRole]
    public var contactCount: Int
    /// Whether a webhook is registered.
    public var webhook: Bool
    public var registeredBy: String
    public var registeredAt: Date

    public init(
        schoolURN: String, roles: [ContactRole], contactCount: Int, webhook: Bool, registeredBy: String,
        registeredAt: Date
    ) {
        self.schoolURN = schoolURN
        self.roles = roles
        self.contactCount = contactCount
        self.webhook = webhook
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
    }

    public static let name = "school.contacts.registered"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A school's notice contacts (and webhook) were registered; which roles are covered. No personal data."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school."),
                "roles": .array(of: .enumeration(of: ContactRole.self), maxItems: 5).described("Roles covered."),
                "contactCount": JSONSchema.integer(minimum: 0).described("How many contacts."),
                "webhook": JSONSchema.boolean.described("Whether a webhook is registered."),
                "registeredBy": .string(minLength: 1, maxLength: 255).described("The broker user."),
                "registeredAt": JSONSchema.dateTime.described("When."),
            ],
            required: ["schoolURN", "roles", "contactCount", "webhook", "registeredBy", "registeredAt"],
            additionalProperties: true)
    }

    public static var example: SchoolContactsRegistered {
        SchoolContactsRegistered(
            schoolURN: "100103", roles: [.head, .senco, .sendGovernor], contactCount: 3, webhook: true,
            registeredBy: "npq-school-mis", registeredAt: RFC3339.parse("2026-09-01T08:00:00+01:00")!)
    }
}
