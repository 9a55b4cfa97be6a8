/// One version of DfE's funding policy: what the decision procedure needs to know that changes from cohort to cohort.
///
/// The procedure (the order of the rules) is code, in ``EligibilityRules``; which courses are funded everywhere and
/// which only in targeted schools, whether RISE schools are funded for everything, which GIAS establishment types are
/// eligible and what early years settings get are data, here, loaded from the policy file.
public struct EligibilityPolicyVersion: Sendable, Equatable {
    /// The version's name, e.g. `2026`.
    public var version: String
    /// The cohorts the version applies to, e.g. `2026a` and `2026b`.
    public var cohorts: [String]
    /// Where the rules come from, for people.
    public var source: String?
    /// Courses funded in every eligible school setting (besides EHCO, which rule 4 decides).
    public var universalCourses: Set<String>
    /// Courses funded in a school setting only when it is on the PP50 list (the FE list by UKPRN for a 16 to 19
    /// setting), or a RISE school when ``riseFundsAllCourses``.
    public var targetedCourses: Set<String>
    /// Whether a school on the RISE list is funded for every course, before its establishment type is looked at.
    public var riseFundsAllCourses: Bool
    /// GIAS `TypeOfEstablishment (code)` values eligible for funding in a school setting.
    public var eligibleEstablishmentTypeCodes: Set<Int>
    /// The courses a lead mentor for an accredited ITT provider can be funded for (NPQLTD).
    public var leadMentorCourses: Set<String>
    /// The courses that put someone in a virtual school, hospital school, young offender institution or LA supply
    /// teaching into manual review (`subject_to_review`).
    public var anotherSettingReviewCourses: Set<String>
    public var earlyYears: EarlyYearsPolicy

    public init(
        version: String, cohorts: [String], source: String? = nil, universalCourses: Set<String>,
        targetedCourses: Set<String>, riseFundsAllCourses: Bool, eligibleEstablishmentTypeCodes: Set<Int>,
        leadMentorCourses: Set<String>, anotherSettingReviewCourses: Set<String>, earlyYears: EarlyYearsPolicy
    ) {
        self.version = version
        self.cohorts = cohorts
        self.source = source
        self.universalCourses = universalCourses
        self.targetedCourses = targetedCourses
        self.riseFundsAllCourses = riseFundsAllCourses
        self.eligibleEstablishmentTypeCodes = eligibleEstablishmentTypeCodes
        self.leadMentorCourses = leadMentorCourses
        self.anotherSettingReviewCourses = anotherSettingReviewCourses
        self.earlyYears = earlyYears
    }

    /// Every course the version knows: the universal and targeted sets, and EHCO and ASO.
    public var courses: Set<String> {
        universalCourses.union(targetedCourses).union(CourseIdentifier.coachingOffers)
    }
}
