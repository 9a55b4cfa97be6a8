/// What a policy version decides for early years and childcare settings (the early years branch of rule 5).
public struct EarlyYearsPolicy: Sendable, Equatable {
    /// Which early years settings NPQEYL is funded for (childminders always need to be on the childminders list).
    public enum LeadershipFunding: String, Sendable, CaseIterable {
        /// 2026: a pre-school class that is part of a school, and any setting that is not a childminder.
        case everySetting = "every_setting"
        /// 2024 and 2025 ("highly disadvantaged early years settings"): a setting that is not a childminder only when
        /// its URN or Ofsted URN is on the disadvantaged early years list, or its URN is on the LA nurseries list;
        /// otherwise `ineligible_establishment_type`.
        case disadvantagedSettings = "disadvantaged_settings"
    }

    public var leadershipFunding: LeadershipFunding
    /// The courses other than NPQEYL funded for someone in a local authority nursery school (GIAS type 15).
    public var laNurserySchoolCourses: Set<String>
    /// Whether the LA nursery school must also be on the LA nurseries list (2025); when it is not, the outcome is
    /// `ineligible_establishment_type`.
    public var laNurserySchoolListRequired: Bool

    public init(
        leadershipFunding: LeadershipFunding, laNurserySchoolCourses: Set<String>,
        laNurserySchoolListRequired: Bool = false
    ) {
        self.leadershipFunding = leadershipFunding
        self.laNurserySchoolCourses = laNurserySchoolCourses
        self.laNurserySchoolListRequired = laNurserySchoolListRequired
    }
}
