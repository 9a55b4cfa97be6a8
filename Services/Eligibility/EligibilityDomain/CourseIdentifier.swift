/// The course identifiers the decision procedure itself names (every other course is placed by the policy's course
/// sets): they are facts of the course catalogue (courses-and-cohorts.md), not policy that changes by cohort.
public enum CourseIdentifier {
    /// NPQEYL, which early years and childcare settings can be funded for.
    public static let earlyYearsLeadership = "npq-early-years-leadership"
    /// EHCO, decided by headteacher status alone (rule 4).
    public static let earlyHeadshipCoachingOffer = "npq-early-headship-coaching-offer"
    /// ASO, the hidden 2021 offer that counts as the same course as EHCO.
    public static let additionalSupportOffer = "npq-additional-support-offer"

    /// EHCO and ASO: rule 4 applies to both, and "previously funded" treats them as one course.
    public static let coachingOffers: Set<String> = [earlyHeadshipCoachingOffer, additionalSupportOffer]
}
