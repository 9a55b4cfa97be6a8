import Foundation

/// Who applies. Personal data: services never log it.
public struct Applicant: Codable, Sendable, Equatable {
    public var fullName: String
    public var email: String
    /// Teacher reference number, 7 digits, optional at submission.
    public var trn: String?
    public var dateOfBirth: CalendarDate?

    public init(fullName: String, email: String, trn: String? = nil, dateOfBirth: CalendarDate? = nil) {
        self.fullName = fullName
        self.email = email
        self.trn = trn
        self.dateOfBirth = dateOfBirth
    }

    public static var schema: JSONSchema {
        .object(
            [
                "fullName": .string(minLength: 1, maxLength: 200).described("Full name."),
                "email": JSONSchema.email.described("Email address."),
                "trn": JSONSchema.trn.nullable().described("Teacher reference number, 7 digits."),
                "dateOfBirth": JSONSchema.date.nullable().described("Date of birth."),
            ],
            required: ["fullName", "email"])
    }
}
