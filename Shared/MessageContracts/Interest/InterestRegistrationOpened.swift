import Foundation

/// Registration opened for a course someone registered interest in: they are to be told (once per cohort).
public struct InterestRegistrationOpened: MessageContract {
    public var interestID: UUID
    /// Personal data: services never log it.
    public var fullName: String
    /// Personal data.
    public var email: String
    public var course: String
    public var cohort: String
    /// The lead providers offering the course in the cohort.
    public var leadProviders: [String]
    /// The last day to apply.
    public var registrationCloses: CalendarDate
    public var openedAt: Date

    public init(
        interestID: UUID, fullName: String, email: String, course: String, cohort: String, leadProviders: [String],
        registrationCloses: CalendarDate, openedAt: Date
    ) {
        self.interestID = interestID
        self.fullName = fullName
        self.email = email
        self.course = course
        self.cohort = cohort
        self.leadProviders = leadProviders
        self.registrationCloses = registrationCloses
        self.openedAt = openedAt
    }

    public static let name = "interest.registration.opened"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A cohort offering a course opened for registration and someone had registered interest in that course: tell them (one event per person, course and cohort)."

    public static var schema: JSONSchema {
        .object(
            [
                "interestID": JSONSchema.uuid.described("The expression of interest."),
                "fullName": .string(minLength: 1, maxLength: 200).described("Full name."),
                "email": JSONSchema.email.described("Email address."),
                "course": JSONSchema.courseIdentifier.described("The course."),
                "cohort": JSONSchema.cohortIdentifier.described("The cohort now open."),
                "leadProviders": .array(of: JSONSchema.leadProviderIdentifier, maxItems: 100).described(
                    "Lead providers offering the course in the cohort."),
                "registrationCloses": JSONSchema.date.described("The last day to apply."),
                "openedAt": JSONSchema.dateTime.described("When registration opened."),
            ],
            required: [
                "interestID", "fullName", "email", "course", "cohort", "leadProviders", "registrationCloses",
                "openedAt",
            ],
            additionalProperties: true)
    }

    public static var example: InterestRegistrationOpened {
        InterestRegistrationOpened(
            interestID: UUID(uuidString: "0d6f4a3b-2c1e-4f5a-8b7c-9d0e1f2a3b4c")!, fullName: "Amina Patel",
            email: "amina.patel@example.org", course: "npq-senco", cohort: "2026b",
            leadProviders: ["ambition-institute", "teach-first"],
            registrationCloses: CalendarDate(year: 2026, month: 10, day: 9)!,
            openedAt: RFC3339.parse("2026-06-23T00:00:05+01:00")!)
    }
}
