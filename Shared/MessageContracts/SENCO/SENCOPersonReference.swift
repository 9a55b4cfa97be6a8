import Foundation

/// Who a command about an existing SENCO spell refers to: the school and the person's TRN or email.
public struct SENCOPersonReference: Codable, Sendable, Equatable {
    public var schoolURN: String
    public var trn: String?
    public var email: String?

    public init(schoolURN: String, trn: String? = nil, email: String? = nil) {
        self.schoolURN = schoolURN
        self.trn = trn
        self.email = email
    }

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.described("The school's URN."),
                "trn": JSONSchema.trn.nullable().described("The person's TRN; or give email."),
                "email": JSONSchema.email.nullable().described("The person's email, when there is no TRN."),
            ],
            required: ["schoolURN"])
    }
}
