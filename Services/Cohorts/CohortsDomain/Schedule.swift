import MessageContracts

/// A schedule of one cohort for one course group: its identifier (e.g. `npq-leadership-autumn`) and milestones.
public struct Schedule: Codable, Sendable, Hashable {
    public var cohort: String
    /// E.g. `npq-leadership-autumn`, `npq-specialist-spring`, `npq-ehco-december`.
    public var identifier: String
    public var courseGroup: CourseGroup
    /// In declaration order, `started` first.
    public var milestones: [Milestone]
    /// Where the dates come from, e.g. "published by DfE" or "estimated".
    public var note: String?

    public init(
        cohort: String, identifier: String, courseGroup: CourseGroup, milestones: [Milestone], note: String? = nil
    ) {
        self.cohort = cohort
        self.identifier = identifier
        self.courseGroup = courseGroup
        self.milestones = milestones
        self.note = note
    }

    /// The milestone date of `type`, if the schedule lists it.
    public func date(of type: DeclarationType) -> CalendarDate? {
        milestones.first { $0.declarationType == type }?.date
    }

    /// The identifiers a schedule of `group` may have: `npq-<group>-<season>`.
    public static func identifiers(for group: CourseGroup) -> [String] {
        switch group {
        case .leadership: ["npq-leadership-autumn", "npq-leadership-spring"]
        case .specialist: ["npq-specialist-autumn", "npq-specialist-spring"]
        case .ehco: ["npq-ehco-november", "npq-ehco-december", "npq-ehco-march", "npq-ehco-june"]
        // The legacy ASO is hidden and cannot be offered, so it has no schedules.
        case .support: []
        }
    }

    /// The course group a schedule identifier belongs to, or `nil` for an identifier no group uses.
    public static func courseGroup(ofIdentifier identifier: String) -> CourseGroup? {
        CourseGroup.allCases.first { identifiers(for: $0).contains(identifier) }
    }
}
