/// The outcome codes of the funding decision (eligibility.md), and the two an operator can set.
public enum EligibilityStatus: String, Codable, Sendable, CaseIterable {
    /// Funded: the only funded outcome of the rules.
    case funded
    case unfundedCohort = "unfunded_cohort"
    case notInEngland = "not_in_england"
    case previouslyFunded = "previously_funded"
    case notNewHeadteacherRequestingEHCO = "not_new_headteacher_requesting_ehco"
    case notEntitledChildminder = "not_entitled_childminder"
    case earlyYearsInvalidNPQ = "early_years_invalid_npq"
    case ineligibleEstablishmentType = "ineligible_establishment_type"
    case ineligibleEstablishmentNotAPP50 = "ineligible_establishment_not_a_pp50"
    case notLeadMentorCourse = "not_lead_mentor_course"
    /// Manual review.
    case subjectToReview = "subject_to_review"
    /// Manual review.
    case referredByReturnToTeachingAdviser = "referred_by_return_to_teaching_adviser"
    /// Set by an operator, with a reason.
    case markedFundedByPolicy = "marked_funded_by_policy"
    /// Set by an operator, with a reason.
    case markedIneligibleByPolicy = "marked_ineligible_by_policy"

    /// Whether the outcome funds the place.
    public var isFunded: Bool { self == .funded || self == .markedFundedByPolicy }

    /// Whether a person must review the application.
    public var needsReview: Bool { self == .subjectToReview || self == .referredByReturnToTeachingAdviser }
}
