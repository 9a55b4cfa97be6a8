import MessageContracts

/// What a benchmark applicant applies for: a course at a school of the shipped register, through a lead provider.
/// The table mixes funded and unfunded decisions, both course groups the cohort has schedules for, and two providers.
struct ApplicationProfile: Sendable {
    var course: String
    var schoolURN: String
    var leadProvider: String

    static let all: [ApplicationProfile] = [
        // Funded: a universal course at an eligible school.
        ApplicationProfile(course: "npq-headship", schoolURN: "100103", leadProvider: "teach-first"),
        // Funded: a targeted course at a PP50 school.
        ApplicationProfile(course: "npq-leading-teaching", schoolURN: "100101", leadProvider: "ambition-institute"),
        // Not funded: a targeted course at a school that is not PP50.
        ApplicationProfile(course: "npq-leading-teaching", schoolURN: "100103", leadProvider: "teach-first"),
        // Not funded: an independent school.
        ApplicationProfile(course: "npq-headship", schoolURN: "112002", leadProvider: "ambition-institute"),
    ]

    /// The schools the applicants work at, whose heads hear of each accepted member of staff.
    static let schools = Array(Set(all.map(\.schoolURN))).sorted()

    /// The lead providers named, each of which accepts its own applications.
    static let leadProviders = Array(Set(all.map(\.leadProvider))).sorted()

    /// The profile of application `index`: consecutive pairs share one, and the first of each pair is accepted
    /// (``isAccepted(_:)``), so that every profile has accepted and pending applications.
    static func of(_ index: Int) -> ApplicationProfile {
        all[(index / 2) % all.count]
    }

    /// Whether the lead provider accepts application `index`: half of them.
    static func isAccepted(_ index: Int) -> Bool {
        index % 2 == 0
    }

    /// The applicant's address: unique per application, so that no two are the same person.
    static func email(_ index: Int) -> String {
        "applicant.\(index)@example.sch.uk"
    }

    static func fullName(_ index: Int) -> String {
        "Applicant \(index)"
    }

    /// The application number in an address ``email(_:)`` made, e.g. from `Applicant 7 <applicant.7@example.sch.uk>`.
    static func index(inAddress text: some StringProtocol) -> Int? {
        guard let start = text.range(of: "applicant.") else { return nil }
        let digits = text[start.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard text[start.upperBound...].dropFirst(digits.count).first == "@" else { return nil }
        return Int(digits)
    }

    /// The application number in a text that begins with ``fullName(_:)``, such as a school's notice's subject.
    static func index(inName text: some StringProtocol) -> Int? {
        guard text.hasPrefix("Applicant ") else { return nil }
        return Int(text.dropFirst("Applicant ".count).prefix { $0.isASCII && $0.isNumber })
    }

    /// The `application.submit` of application `index` into `cohort`.
    func submission(index: Int, cohort: String) -> ApplicationSubmit {
        ApplicationSubmit(
            applicant: Applicant(fullName: Self.fullName(index), email: Self.email(index)), course: course,
            leadProvider: leadProvider, cohort: cohort,
            workplace: Workplace(worksIn: .england, workSetting: .aSchool, institution: Institution(urn: schoolURN)))
    }
}
