import MessageContracts

extension SchoolRegister {
    /// The place an application names, completed from the register: the establishment type, whether it is open, and
    /// the URN or UKPRN the applicant did not give. What the applicant gave is kept (an Ofsted URN or a UKPRN beside a
    /// URN still counts); `establishmentTypeCode` stands in when the register does not know the place.
    public func completing(_ given: Institution?, establishmentTypeCode: Int? = nil) -> EligibilityInstitution? {
        guard let given else { return nil }
        var institution = EligibilityInstitution(
            urn: given.urn, ukprn: given.ukprn, ofstedURN: given.ofstedURN, establishmentTypeCode: establishmentTypeCode
        )
        let record = given.urn.flatMap { school(urn: $0) } ?? given.ukprn.flatMap { school(ukprn: $0) }
        if let record {
            institution.urn = record.urn
            institution.ukprn = given.ukprn ?? record.ukprn
            institution.establishmentTypeCode = record.establishmentTypeCode
            institution.open = record.status.isOpen
        }
        return institution
    }
}

extension EligibilityInput {
    /// The input for an application's workplace answers, with its place completed from `register`.
    public init(
        cohort: String, fundingMode: FundingMode, course: String, workplace: Workplace, register: SchoolRegister,
        establishmentTypeCode: Int? = nil, previouslyFunded: Bool
    ) {
        self.init(
            cohort: cohort, fundingMode: fundingMode, course: course, worksIn: workplace.worksIn,
            workSetting: workplace.workSetting ?? .other,
            institution: register.completing(workplace.institution, establishmentTypeCode: establishmentTypeCode),
            kindOfNursery: workplace.kindOfNursery, employmentType: workplace.employmentType,
            ittProviderApproved: workplace.ittProviderApproved,
            referredByReturnToTeachingAdviser: workplace.referredByReturnToTeachingAdviser,
            headteacherStatus: workplace.headteacherStatus, previouslyFunded: previouslyFunded)
    }
}
