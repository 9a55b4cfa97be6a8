/// Which courses count as the same course for the "already accepted" and "previously funded" checks: the legacy
/// additional support offer is the same course as the early headship coaching offer.
public enum CourseIdentity {
    public static let ehco = "npq-early-headship-coaching-offer"
    public static let aso = "npq-additional-support-offer"

    /// The identifier `course` counts as.
    public static func canonical(_ course: String) -> String { course == aso ? ehco : course }

    /// Whether two course identifiers are the same course.
    public static func same(_ a: String, _ b: String) -> Bool { canonical(a) == canonical(b) }

    /// Whether the course has an assessed outcome (EHCO and ASO do not).
    public static func isAssessed(_ course: String) -> Bool { canonical(course) != ehco }
}
