import Foundation

/// Someone registers interest in a course while no registration window is open, to be told when one opens.
public struct InterestRegister: MessageContract {
    /// Personal data: services never log it.
    public var fullName: String
    /// Where to tell them. Personal data.
    public var email: String
    /// The course, e.g. `npq-senco`.
    public var course: String
    /// The lead provider they would like to train with, when they have one in mind.
    public var leadProvider: String?

    public init(fullName: String, email: String, course: String, leadProvider: String? = nil) {
        self.fullName = fullName
        self.email = email
        self.course = course
        self.leadProvider = leadProvider
    }

    public static let name = "interest.register"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "Someone registers interest in a course, to be told (interest.registration.opened) when a cohort offering it opens for registration. Registering the same email for the same course again changes nothing. Answered with interest.registered."

    public static var schema: JSONSchema {
        .object(
            [
                "fullName": .string(minLength: 1, maxLength: 200).described("Full name."),
                "email": JSONSchema.email.described("Email address to tell."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "leadProvider": JSONSchema.leadProviderIdentifier.nullable().described(
                    "The lead provider they have in mind, if any."),
            ],
            required: ["fullName", "email", "course"])
    }

    public static var example: InterestRegister {
        InterestRegister(fullName: "Amina Patel", email: "amina.patel@example.org", course: "npq-senco")
    }
}
