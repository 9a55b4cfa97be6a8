import MessageContracts

/// The funding decision of eligibility.md, applied in its order: the first rule that matches wins.
///
/// 1. zero funding mode → `unfunded_cohort`; 2. not in England → `not_in_england`; 3. previously funded →
/// `previously_funded`; 4. EHCO (or the legacy ASO) → funded for a headteacher in the first five years, else
/// `not_new_headteacher_requesting_ehco`; 5. by work setting (early years, school, another setting, other), with the
/// course sets and switches of the cohort's ``EligibilityPolicyVersion``.
///
/// Pure: the same input, policy and lists always give the same decision.
public enum EligibilityRules {
    /// GIAS's establishment type code for a local authority nursery school.
    public static let laNurserySchoolType = 15

    /// The employment types in another setting whose applications for a reviewed course go to manual review.
    public static let reviewedEmploymentTypes: Set<EmploymentType> = [
        .localAuthorityVirtualSchool, .hospitalSchool, .youngOffenderInstitution, .localAuthoritySupplyTeacher,
    ]

    /// Decides `input` by the policy version that names its cohort.
    ///
    /// - Throws: an input ``EligibilityError`` naming the field when no version names the cohort, the course is not
    ///   one the version knows, or a rule needs an answer that is missing (e.g. a school setting without an
    ///   institution) or names a closed school.
    public static func assess(
        _ input: EligibilityInput, policy: EligibilityPolicy, lists: EligibilityLists
    )
        throws(EligibilityError) -> EligibilityDecision
    {
        guard let version = policy.version(forCohort: input.cohort) else {
            let known = policy.versions.flatMap(\.cohorts).sorted().joined(separator: ", ")
            throw .input("cohort", "no policy version covers cohort \(input.cohort); the policy covers \(known)")
        }
        return try assess(input, version: version, lists: lists)
    }

    /// Decides `input` by `version`, whatever its cohort.
    ///
    /// - Throws: as ``assess(_:policy:lists:)``.
    public static func assess(
        _ input: EligibilityInput, version: EligibilityPolicyVersion, lists: EligibilityLists
    )
        throws(EligibilityError) -> EligibilityDecision
    {
        guard version.courses.contains(input.course) else {
            throw .input(
                "course",
                "\(input.course.isEmpty ? "an empty identifier" : input.course) is not a course of policy version "
                    + "\(version.version); use one of \(version.courses.sorted().joined(separator: ", "))")
        }
        let (status, rule) = try decide(input, version: version, lists: lists)
        let (explanation, payers) = EligibilityExplanation.explain(status, rule: rule, input: input, version: version)
        return EligibilityDecision(
            status: status, explanation: explanation, otherPayers: payers, rule: rule, policyVersion: version.version)
    }

    private static func decide(
        _ input: EligibilityInput, version: EligibilityPolicyVersion, lists: EligibilityLists
    )
        throws(EligibilityError) -> (EligibilityStatus, EligibilityRule)
    {
        if input.fundingMode == .zero { return (.unfundedCohort, .unfundedCohort) }
        if input.worksIn != .england { return (.notInEngland, .notInEngland) }
        if input.previouslyFunded { return (.previouslyFunded, .previouslyFunded) }
        if CourseIdentifier.coachingOffers.contains(input.course) {
            guard let headteacher = input.headteacherStatus else {
                throw .input(
                    "headteacherStatus",
                    "missing: the early headship coaching offer is decided by it; use "
                        + HeadteacherStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return (headteacher == .yesInFirstFiveYears ? .funded : .notNewHeadteacherRequestingEHCO, .coachingOffer)
        }
        if let institution = input.institution, !institution.open {
            throw .input(
                institution.urn == nil ? "institution" : "institution.urn",
                "\(institution.urn.map { "the school \($0)" } ?? "the institution") is closed in the schools "
                    + "register; name the place where you work now")
        }
        switch input.workSetting {
        case .earlyYearsOrChildcare:
            return try earlyYears(input, version: version, lists: lists)
        case .aSchool, .anAcademyTrust, .a16To19EducationalSetting:
            return try school(input, version: version, lists: lists)
        case .anotherSetting:
            return try anotherSetting(input, version: version)
        case .other:
            guard let referred = input.referredByReturnToTeachingAdviser else {
                throw .input(
                    "referredByReturnToTeachingAdviser",
                    "missing: needed when the work setting is other (true or false)")
            }
            return (referred ? .referredByReturnToTeachingAdviser : .ineligibleEstablishmentType, .otherSetting)
        }
    }

    /// Rule 5, early years or childcare.
    private static func earlyYears(
        _ input: EligibilityInput, version: EligibilityPolicyVersion, lists: EligibilityLists
    ) throws(EligibilityError) -> (EligibilityStatus, EligibilityRule) {
        guard let kind = input.kindOfNursery else {
            throw .input(
                "kindOfNursery",
                "missing: needed for an early years or childcare setting; use "
                    + KindOfNursery.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let institution = input.institution
        if input.course == CourseIdentifier.earlyYearsLeadership {
            if kind == .childminder {
                let listed = lists.childminders.contains(institution?.ofstedURN)
                return (listed ? .funded : .notEntitledChildminder, .earlyYearsLeadershipChildminder)
            }
            let rule: EligibilityRule =
                kind == .preschoolClassAsPartOfSchool
                ? .earlyYearsLeadershipPreschoolClass : .earlyYearsLeadershipSetting
            switch version.earlyYears.leadershipFunding {
            case .everySetting:
                return (.funded, rule)
            case .disadvantagedSettings:
                let disadvantaged =
                    lists.disadvantagedEarlyYears.contains(institution?.urn)
                    || lists.disadvantagedEarlyYears.contains(institution?.ofstedURN)
                    || lists.laNurseries.contains(institution?.urn)
                return (disadvantaged ? .funded : .ineligibleEstablishmentType, rule)
            }
        }
        if institution?.establishmentTypeCode == laNurserySchoolType,
            version.earlyYears.laNurserySchoolCourses.contains(input.course)
        {
            if version.earlyYears.laNurserySchoolListRequired, !lists.laNurseries.contains(institution?.urn) {
                return (.ineligibleEstablishmentType, .earlyYearsLANurserySchool)
            }
            return (.funded, .earlyYearsLANurserySchool)
        }
        return (.earlyYearsInvalidNPQ, .earlyYearsOtherCourse)
    }

    /// Rule 5, a school, an academy trust or a 16 to 19 setting.
    private static func school(
        _ input: EligibilityInput, version: EligibilityPolicyVersion, lists: EligibilityLists
    ) throws(EligibilityError) -> (EligibilityStatus, EligibilityRule) {
        guard let institution = input.institution else {
            throw .input(
                "institution",
                "missing: a school, academy trust or 16 to 19 setting must name its institution (its URN, or UKPRN "
                    + "for a 16 to 19 setting)")
        }
        if version.riseFundsAllCourses, lists.riseSchools.contains(institution.urn) { return (.funded, .schoolRISE) }
        guard let type = institution.establishmentTypeCode else {
            throw .input(
                "institution.establishmentTypeCode",
                "missing: the establishment type decides a school setting; give the GIAS code or a URN the schools "
                    + "register has")
        }
        guard version.eligibleEstablishmentTypeCodes.contains(type) else {
            return (.ineligibleEstablishmentType, .schoolEstablishmentType)
        }
        if version.targetedCourses.contains(input.course) {
            if input.workSetting == .a16To19EducationalSetting {
                guard let ukprn = institution.ukprn else {
                    throw .input(
                        "institution.ukprn",
                        "missing: a 16 to 19 setting is found on the PP50 further education list by its UKPRN")
                }
                let listed = lists.pp50FurtherEducation.contains(ukprn)
                return (listed ? .funded : .ineligibleEstablishmentNotAPP50, .schoolTargetedCourse)
            }
            guard let urn = institution.urn else {
                throw .input("institution.urn", "missing: a school is found on the PP50 schools list by its URN")
            }
            return (lists.pp50Schools.contains(urn) ? .funded : .ineligibleEstablishmentNotAPP50, .schoolTargetedCourse)
        }
        let rule: EligibilityRule =
            input.course == CourseIdentifier.earlyYearsLeadership ? .schoolEarlyYearsLeadership : .schoolUniversalCourse
        return (.funded, rule)
    }

    /// Rule 5, another setting.
    private static func anotherSetting(
        _ input: EligibilityInput, version: EligibilityPolicyVersion
    )
        throws(EligibilityError) -> (EligibilityStatus, EligibilityRule)
    {
        guard let employment = input.employmentType else {
            throw .input(
                "employmentType",
                "missing: needed for another setting; use "
                    + EmploymentType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if employment == .leadMentorForAccreditedITTProvider {
            guard version.leadMentorCourses.contains(input.course) else { return (.notLeadMentorCourse, .leadMentor) }
            guard let approved = input.ittProviderApproved else {
                throw .input(
                    "ittProviderApproved",
                    "missing: a lead mentor's funding depends on whether their ITT provider is approved (true or false)"
                )
            }
            return (approved ? .funded : .ineligibleEstablishmentType, .leadMentor)
        }
        if reviewedEmploymentTypes.contains(employment), version.anotherSettingReviewCourses.contains(input.course) {
            return (.subjectToReview, .anotherSettingReview)
        }
        return (.ineligibleEstablishmentType, .anotherSettingOtherwise)
    }
}
