import Foundation

/// One of a school's contacts for notices: a role and an email address. Personal data: services never log it.
public struct SchoolContact: Codable, Sendable, Equatable {
    public var role: ContactRole
    public var name: String?
    public var email: String

    public init(role: ContactRole, name: String? = nil, email: String) {
        self.role = role
        self.name = name
        self.email = email
    }

    public static var schema: JSONSchema {
        .object(
            [
                "role": .enumeration(of: ContactRole.self).described(
                    "head, senco, send_governor, chair or office."),
                "name": JSONSchema.string(minLength: 1, maxLength: 200).nullable().described("The person's name."),
                "email": JSONSchema.email.described("Where notices for this role go."),
            ],
            required: ["role", "email"])
    }
}

/// A school's webhook endpoint for its MIS: notices are POSTed there as signed JSON (Standard Webhooks).
public struct SchoolWebhook: Codable, Sendable, Equatable {
    /// An `https` URL (`http` only where the operator allows it for local use).
    public var url: String
    /// The shared secret, `whsec_` followed by base64 of 24 to 64 random bytes.
    public var secret: String

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }

    public static var schema: JSONSchema {
        .object(
            [
                "url": JSONSchema.uri.described("The endpoint, https."),
                "secret": .string(
                    minLength: 38, maxLength: 100, pattern: "^whsec_[A-Za-z0-9+/]+={0,2}$",
                    patternDescription: "whsec_ followed by base64 of 24 to 64 random bytes"
                ).described("The signing secret shared with the school's MIS."),
            ],
            required: ["url", "secret"])
    }
}
