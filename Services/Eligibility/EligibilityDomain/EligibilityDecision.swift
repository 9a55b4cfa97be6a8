import MessageContracts

/// The answer for one application: the status code, whether it funds the place or needs a person to review it, a
/// plain-English explanation a teacher understands, and who else may pay when it is not funded.
public struct EligibilityDecision: Sendable, Equatable {
    public var status: EligibilityStatus
    /// True only for `funded` (in a `capped` cohort the lead provider still decides the funded place at acceptance).
    public var funded: Bool
    /// True for `subject_to_review` and `referred_by_return_to_teaching_adviser`.
    public var reviewRequired: Bool
    public var explanation: String
    /// Who may pay instead, in the order the explanation names them; empty when funded.
    public var otherPayers: [FundingChoice]
    /// The rule that decided.
    public var rule: EligibilityRule
    /// The policy version applied, e.g. `2026`.
    public var policyVersion: String

    public init(
        status: EligibilityStatus, explanation: String, otherPayers: [FundingChoice], rule: EligibilityRule,
        policyVersion: String
    ) {
        self.status = status
        self.funded = status.isFunded
        self.reviewRequired = status.needsReview
        self.explanation = explanation
        self.otherPayers = otherPayers
        self.rule = rule
        self.policyVersion = policyVersion
    }
}
