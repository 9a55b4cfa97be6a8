/// Something about a spell's evaluation a person should know.
public enum SENCOFlag: String, Codable, Sendable, CaseIterable {
    /// Appointed on 29 February: the deadline is 28 February three years on; 1 March is the other reading.
    case leapDayAmbiguity = "leap_day_ambiguity"
    /// Earlier SENCO service of 12 months or less: the deadline runs from this appointment; a stricter reading
    /// counts from the first spell.
    case priorSpellAmbiguity = "prior_spell_ambiguity"
    /// Only the month of appointment is known; the 1st of it is assumed.
    case datePrecisionMonth = "date_precision_month"
    /// Appointed on exactly 1 September 2009: a person must review the case.
    case manualReview = "manual_review"
    /// Relies on a NASENCO in progress, which must be completed before 1 September 2027.
    case nasencoInProgress = "nasenco_in_progress"
    /// A NASENCO started before 1 September 2024 was not completed before 1 September 2027: it no longer qualifies.
    case nasencoLapsed = "nasenco_lapsed"
    /// The provider reported engagement below 90%: the participant may not be allowed to sit the assessment.
    case assessmentEligibilityRisk = "assessment_eligibility_risk"
    /// No cohort still open for registration can give an outcome by the deadline.
    case noFeasibleCohort = "no_feasible_cohort"
    /// The spell was in breach before the person stopped being SENCO.
    case endedInBreach = "ended_in_breach"
}
