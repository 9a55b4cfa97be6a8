/// The family a course belongs to, which decides its schedules and how long until its outcome.
public enum CourseGroup: String, Codable, Sendable, CaseIterable {
    /// 18 taught months: headship, senior and executive leadership, early years leadership, SENCO.
    case leadership
    /// 12 taught months: leading teaching, literacy, primary mathematics, behaviour and culture, teaching development.
    case specialist
    /// The early headship coaching offer: coaching, unassessed, no outcome.
    case ehco
    /// The additional support offer (2021, legacy): treated as EHCO for "same course" checks.
    case support
}
