/// A declaration a lead provider makes about a participant, each with a milestone date in the schedule.
public enum DeclarationType: String, Codable, Sendable, CaseIterable, Comparable {
    case started
    case retained1 = "retained-1"
    /// Leadership courses only.
    case retained2 = "retained-2"
    case completed

    /// Declarations in the order a participant reaches them.
    public static func < (lhs: DeclarationType, rhs: DeclarationType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

}
