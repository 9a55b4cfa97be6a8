/// How a cohort's places are funded.
public enum FundingMode: String, Codable, Sendable, CaseIterable {
    /// 2021–2023: everyone eligible is funded.
    case full
    /// 2024 on: the lead provider decides `funded_place` when it accepts, within its recruitment target.
    case capped
    /// An unfunded cohort, e.g. 2026a, "spring 2026 non-scholarship".
    case zero
}
