import MessageContracts

/// One NPQ course as the reference data describes it.
public struct Course: Codable, Sendable, Hashable {
    /// The course identifier used in every message, e.g. `npq-headship`.
    public var identifier: String
    /// The short code people use, e.g. `NPQH`.
    public var shortCode: String
    /// The course's full name, e.g. "Headship".
    public var name: String
    public var group: CourseGroup
    /// How many months the course is taught; `nil` when the course has no fixed length.
    public var taughtMonths: Int?
    /// How many months after the start the outcome is expected; `nil` for an unassessed course (EHCO, ASO).
    public var monthsToOutcome: Int?
    /// Hidden courses (the legacy ASO) are kept for history and cannot be offered.
    public var hidden: Bool
    /// Another course this one counts as for "previously funded" and "already accepted" checks (ASO ≡ EHCO).
    public var sameCourseAs: String?

    public init(
        identifier: String, shortCode: String, name: String, group: CourseGroup, taughtMonths: Int?,
        monthsToOutcome: Int?, hidden: Bool = false, sameCourseAs: String? = nil
    ) {
        self.identifier = identifier
        self.shortCode = shortCode
        self.name = name
        self.group = group
        self.taughtMonths = taughtMonths
        self.monthsToOutcome = monthsToOutcome
        self.hidden = hidden
        self.sameCourseAs = sameCourseAs
    }
}
