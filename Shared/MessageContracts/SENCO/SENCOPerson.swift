import Foundation

/// The person a SENCO spell is about. Personal data: services never log it.
public struct SENCOPerson: Codable, Sendable, Equatable {
    public var name: String
    /// Teacher reference number, 7 digits, when known: how application events are matched to the spell.
    public var trn: String?
    /// Matched with the school URN when there is no TRN.
    public var email: String

    public init(name: String, trn: String? = nil, email: String) {
        self.name = name
        self.trn = trn
        self.email = email
    }

    public static var schema: JSONSchema {
        .object(
            [
                "name": .string(minLength: 1, maxLength: 200).described("Full name."),
                "trn": JSONSchema.trn.nullable().described("Teacher reference number, 7 digits."),
                "email": JSONSchema.email.described("Email address."),
            ],
            required: ["name", "email"])
    }
}
