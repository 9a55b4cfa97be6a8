/// Where a SENCO spell stands against the qualification duty, exactly one at a time, by precedence: `qualified` >
/// the exempt and out-of-scope statuses > `left_before_deadline` / `left_after_deadline` > `breach` > `at_risk` >
/// `enrolled` > `not_enrolled`.
public enum SENCOStatus: String, Codable, Sendable, CaseIterable {
    /// Holds a qualifying award.
    case qualified
    /// Was SENCO for more than 12 months before this spell: the duty does not apply.
    case exemptPriorService = "exempt_prior_service"
    /// A special school, independent school or PRU/AP: outside regulation 49.
    case outOfScopeSchoolType = "out_of_scope_school_type"
    /// Appointed on or before 1 September 2009 (on the day itself: sent to manual review).
    case legacyPre2009 = "legacy_pre_2009"
    /// Stopped being SENCO on or before the deadline: no breach, reminders stop.
    case leftBeforeDeadline = "left_before_deadline"
    /// Stopped being SENCO after the deadline; the history shows whether the spell was in breach.
    case leftAfterDeadline = "left_after_deadline"
    /// Still SENCO after the deadline without a qualifying award.
    case breach
    /// On course to miss the deadline: the cohort's outcome is due within 3 months of it, or no feasible cohort
    /// remains.
    case atRisk = "at_risk"
    /// On a course that leads to a qualifying award in time.
    case enrolled
    /// In scope, not qualified and not on a course, with a feasible cohort still open.
    case notEnrolled = "not_enrolled"

    /// Whether the duty still needs watching: reminders stop for every other status.
    public var isActive: Bool {
        switch self {
        case .breach, .atRisk, .enrolled, .notEnrolled: true
        default: false
        }
    }
}
