/// For applicants in another setting: their employment.
public enum EmploymentType: String, Codable, Sendable, CaseIterable {
    case hospitalSchool = "hospital_school"
    case leadMentorForAccreditedITTProvider = "lead_mentor_for_accredited_itt_provider"
    case localAuthoritySupplyTeacher = "local_authority_supply_teacher"
    case localAuthorityVirtualSchool = "local_authority_virtual_school"
    case youngOffenderInstitution = "young_offender_institution"
    case other
}
