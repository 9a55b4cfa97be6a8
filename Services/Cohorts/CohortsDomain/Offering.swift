/// A lead provider offering a course in a cohort, with an optional recruitment target.
public struct Offering: Codable, Sendable, Hashable {
    public var cohort: String
    public var course: String
    public var leadProvider: String
    /// The number of places the provider's contract targets; reported when reached, never enforced.
    public var recruitmentTarget: Int?
    /// `false` when the provider has stopped offering it; the row stays for its history and counts.
    public var offered: Bool

    public init(
        cohort: String, course: String, leadProvider: String, recruitmentTarget: Int? = nil, offered: Bool = true
    ) {
        self.cohort = cohort
        self.course = course
        self.leadProvider = leadProvider
        self.recruitmentTarget = recruitmentTarget
        self.offered = offered
    }

}
