/// The rule of eligibility.md's decision order that decided an application, for audit and explanation.
///
/// The raw value is the rule's number in the document, with a word where one number has several branches.
public enum EligibilityRule: String, Sendable, CaseIterable, Hashable {
    /// 1: the cohort's funding mode is `zero`.
    case unfundedCohort = "1"
    /// 2: not working in England.
    case notInEngland = "2"
    /// 3: previously funded for this course.
    case previouslyFunded = "3"
    /// 4: EHCO (or ASO): headteacher status decides.
    case coachingOffer = "4"
    /// 5, early years, 1: NPQEYL for a pre-school class that is part of a school.
    case earlyYearsLeadershipPreschoolClass = "5.early-years.1.preschool-class"
    /// 5, early years, 1: NPQEYL for a setting that is not a childminder.
    case earlyYearsLeadershipSetting = "5.early-years.1.setting"
    /// 5, early years, 1: NPQEYL for a childminder (the childminders list).
    case earlyYearsLeadershipChildminder = "5.early-years.1.childminder"
    /// 5, early years, 2: another course in a local authority nursery school.
    case earlyYearsLANurserySchool = "5.early-years.2.la-nursery-school"
    /// 5, early years, 2: any other course in early years.
    case earlyYearsOtherCourse = "5.early-years.2.otherwise"
    /// 5, school, 1: the school is on the RISE list.
    case schoolRISE = "5.school.1"
    /// 5, school, 2: the establishment type is not eligible.
    case schoolEstablishmentType = "5.school.2"
    /// 5, school, 3: NPQEYL in an eligible school.
    case schoolEarlyYearsLeadership = "5.school.3"
    /// 5, school, 4: a targeted course: the PP50 lists decide.
    case schoolTargetedCourse = "5.school.4"
    /// 5, school, 5: any other course in an eligible school.
    case schoolUniversalCourse = "5.school.5"
    /// 5, another setting, 1: a lead mentor for an accredited ITT provider.
    case leadMentor = "5.another-setting.1"
    /// 5, another setting, 2: a virtual school, hospital school, young offender institution or LA supply teacher
    /// asking for a course that is reviewed.
    case anotherSettingReview = "5.another-setting.2"
    /// 5, another setting, 3: anyone else in another setting.
    case anotherSettingOtherwise = "5.another-setting.3"
    /// 5, other: a return-to-teaching referral decides.
    case otherSetting = "5.other"
}
