import MessageContracts

/// The answers of one application the funding decision looks at, with the cohort's funding mode and the applicant's
/// funding history.
///
/// Only the answers a rule reaches are required: `headteacherStatus` for EHCO, `kindOfNursery` in early years,
/// an `institution` with its establishment type in a school, academy trust or 16 to 19 setting, `employmentType` in
/// another setting (and `ittProviderApproved` for a lead mentor asking for NPQLTD), and
/// `referredByReturnToTeachingAdviser` in the `other` setting. A missing one is an input error naming the field.
public struct EligibilityInput: Sendable, Equatable {
    /// The cohort's identifier, e.g. `2026b`; it chooses the policy version.
    public var cohort: String
    public var fundingMode: FundingMode
    /// The course identifier, e.g. `npq-headship`.
    public var course: String
    public var worksIn: WorkCountry
    public var workSetting: WorkSetting
    public var institution: EligibilityInstitution?
    public var kindOfNursery: KindOfNursery?
    public var employmentType: EmploymentType?
    /// For a lead mentor: whether their ITT provider is on the approved list.
    public var ittProviderApproved: Bool?
    /// For the `other` setting: whether a return-to-teaching adviser referred them.
    public var referredByReturnToTeachingAdviser: Bool?
    public var headteacherStatus: HeadteacherStatus?
    /// Whether the person has an accepted, funding-eligible application with a funded place not false for the same
    /// course (EHCO and ASO counting as one) in any cohort; the caller works this out from its history.
    public var previouslyFunded: Bool

    public init(
        cohort: String, fundingMode: FundingMode, course: String, worksIn: WorkCountry = .england,
        workSetting: WorkSetting, institution: EligibilityInstitution? = nil, kindOfNursery: KindOfNursery? = nil,
        employmentType: EmploymentType? = nil, ittProviderApproved: Bool? = nil,
        referredByReturnToTeachingAdviser: Bool? = nil, headteacherStatus: HeadteacherStatus? = nil,
        previouslyFunded: Bool = false
    ) {
        self.cohort = cohort
        self.fundingMode = fundingMode
        self.course = course
        self.worksIn = worksIn
        self.workSetting = workSetting
        self.institution = institution
        self.kindOfNursery = kindOfNursery
        self.employmentType = employmentType
        self.ittProviderApproved = ittProviderApproved
        self.referredByReturnToTeachingAdviser = referredByReturnToTeachingAdviser
        self.headteacherStatus = headteacherStatus
        self.previouslyFunded = previouslyFunded
    }
}
