/// For early years and childcare settings: which kind.
public enum KindOfNursery: String, Codable, Sendable, CaseIterable {
    case localAuthorityMaintainedNursery = "local_authority_maintained_nursery"
    case preschoolClassAsPartOfSchool = "preschool_class_as_part_of_school"
    case privateNursery = "private_nursery"
    case anotherEarlyYearsSetting = "another_early_years_setting"
    case childminder
}
