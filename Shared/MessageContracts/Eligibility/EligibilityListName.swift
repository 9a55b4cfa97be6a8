/// The reference lists DfE publishes for the funding decision (eligibility.md), by the name commands use.
public enum EligibilityListName: String, Codable, Sendable, CaseIterable {
    /// Schools with the highest share of pupil-premium pupils, by URN.
    case pp50Schools = "pp50_schools"
    /// Further education providers of the PP50 list, by UKPRN.
    case pp50FurtherEducation = "pp50_further_education"
    /// Schools in targeted RISE intervention, by URN.
    case riseSchools = "rise_schools"
    /// Childminders whose NPQEYL is funded, by Ofsted URN.
    case childminders
    /// LA nursery schools (kept for policy), by URN.
    case laNurseries = "la_nurseries"
    /// Disadvantaged early years settings (kept for policy), by Ofsted URN.
    case disadvantagedEarlyYears = "disadvantaged_early_years"
}
