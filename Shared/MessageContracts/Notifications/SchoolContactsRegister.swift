import Foundation

/// A school (or its MIS vendor) registers who receives its notices: contacts by role, and optionally a webhook.
/// The school's contacts and webhook are replaced as a whole.
public struct SchoolContactsRegister: MessageContract {
    public var schoolURN: String
    public var contacts: [SchoolContact]
    public var webhook: SchoolWebhook?

    public init(schoolURN: String, contacts: [SchoolContact], webhook: SchoolWebhook? = nil) {
        self.schoolURN = schoolURN
        self.contacts = contacts
        self.webhook = webhook
    }

    public static let name = "school.contacts.register"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "A school registers the contacts that receive its notices (head, senco, send_governor, chair, office, each an email) and optionally one signed webhook for its MIS; replaces what was registered before. Answered with school.contacts.registered."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school."),
                "contacts": .array(of: SchoolContact.schema, minItems: 1, maxItems: 50).described(
                    "The contacts, by role."),
                "webhook": SchoolWebhook.schema.nullable().described("The school's MIS endpoint, if any."),
            ],
            required: ["schoolURN", "contacts"])
    }

    public static var example: SchoolContactsRegister {
        SchoolContactsRegister(
            schoolURN: "100103",
            contacts: [
                SchoolContact(role: .head, name: "Dana Whitfield", email: "head@brookhill.sch.example"),
                SchoolContact(role: .senco, email: "senco@brookhill.sch.example"),
                SchoolContact(role: .sendGovernor, email: "governors@brookhill.sch.example"),
            ],
            webhook: SchoolWebhook(
                url: "https://mis.brookhill.sch.example/npq", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
    }
}
