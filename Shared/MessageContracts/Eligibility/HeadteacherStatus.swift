/// For the early headship coaching offer: whether the applicant is a headteacher, and for how long.
public enum HeadteacherStatus: String, Codable, Sendable, CaseIterable {
    case no
    case yesInFirstFiveYears = "yes_in_first_five_years"
    case yesOverFiveYears = "yes_over_five_years"
}
