/// The kind of school a SENCO works at, which decides whether the qualification duty applies.
public enum SchoolType: String, Codable, Sendable, CaseIterable {
    /// Maintained schools and academies: the duty applies.
    case mainstream
    /// Maintained nursery schools: the duty applies.
    case maintainedNursery = "maintained_nursery"
    /// Special schools: outside regulation 49.
    case special
    /// Independent schools: outside regulation 49.
    case independent
    /// Pupil referral units and alternative provision: outside regulation 49.
    case pru
}
