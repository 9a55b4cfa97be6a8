/// The kind of place an applicant works, the first branch of the funding decision.
public enum WorkSetting: String, Codable, Sendable, CaseIterable {
    case aSchool = "a_school"
    case anAcademyTrust = "an_academy_trust"
    case a16To19EducationalSetting = "a_16_to_19_educational_setting"
    case earlyYearsOrChildcare = "early_years_or_childcare"
    case anotherSetting = "another_setting"
    case other
}
