import MessageContracts

/// The plain-English explanation of a decision, written for the teacher who applied, and who else may pay.
///
/// The text says what the rule was and, when the place is not funded, names the payers of ``payers(for:)`` — the
/// funding choices that make sense for the applicant's work setting (a school, its trust, the applicant, an employer
/// or another organisation).
public enum EligibilityExplanation {
    /// The explanation of `status`, decided by `rule` for `input` under `version`, and the other payers it names.
    public static func explain(
        _ status: EligibilityStatus, rule: EligibilityRule, input: EligibilityInput, version: EligibilityPolicyVersion
    ) -> (text: String, payers: [FundingChoice]) {
        let course = courseName(input.course)
        if status == .funded { return (funded(rule: rule, input: input, version: version, course: course), []) }
        let payers = status == .markedFundedByPolicy ? [] : payers(for: input.workSetting)
        let reason: String
        switch status {
        case .funded, .markedFundedByPolicy:
            return ("DfE has decided, as a matter of policy, that \(course) is funded for you.", [])
        case .unfundedCohort:
            reason =
                "There is no scholarship funding for courses starting in cohort \(input.cohort). You could apply for a "
                + "later cohort that has funding."
        case .notInEngland:
            reason = "Scholarship funding is only for people who work in England."
        case .previouslyFunded:
            let same =
                CourseIdentifier.coachingOffers.contains(input.course)
                ? " (the early headship coaching offer and the additional support offer count as one course)" : ""
            reason = "You have already had scholarship funding for \(course)\(same), and it can be funded only once."
        case .notNewHeadteacherRequestingEHCO:
            let you =
                input.headteacherStatus == .yesOverFiveYears
                ? "You have been a headteacher for more than five years." : "You told us you are not a headteacher."
            reason =
                "The early headship coaching offer is funded only for headteachers in their first five years of "
                + "headship. \(you)"
        case .notEntitledChildminder:
            let yours =
                input.institution?.ofstedURN.map { "Your Ofsted URN \($0) is not on it." }
                ?? "You did not give an Ofsted URN that is on it."
            reason =
                "Scholarship funding for \(courseName(CourseIdentifier.earlyYearsLeadership)) is available to "
                + "childminders on DfE's list of eligible childminders. \(yours)"
        case .earlyYearsInvalidNPQ:
            let nursery = version.earlyYears.laNurserySchoolCourses.sorted().map(courseName)
            let also =
                nursery.isEmpty
                ? "" : " and, in local authority maintained nursery schools, for \(list(nursery, joiner: "and"))"
            reason =
                "In early years and childcare settings, scholarship funding is available for "
                + "\(courseName(CourseIdentifier.earlyYearsLeadership))\(also); it is not available for \(course)."
        case .ineligibleEstablishmentType:
            reason = ineligible(rule: rule, input: input, course: course)
        case .ineligibleEstablishmentNotAPP50:
            let rise = version.riseFundsAllCourses ? ", and schools in RISE intervention" : ""
            let yours = input.workSetting == .a16To19EducationalSetting ? "Your setting is" : "Your school is"
            reason =
                "Scholarship funding for \(course) is only available to schools in the top 50% for pupil premium, "
                + "16 to 19 settings with high disadvantage\(rise). \(yours) not on these lists."
        case .notLeadMentorCourse:
            let courses = version.leadMentorCourses.sorted().map(courseName)
            reason =
                "As a lead mentor for an accredited ITT provider, you can be funded only for "
                + "\(list(courses, joiner: "or")); not for \(course)."
        case .subjectToReview:
            reason =
                "DfE will review your application to decide whether \(course) can be funded for someone working "
                + "\(workplace(input.employmentType)), and will tell you the outcome."
        case .referredByReturnToTeachingAdviser:
            reason =
                "Because a return-to-teaching adviser referred you, DfE will review your application to decide "
                + "whether \(course) can be funded, and will tell you the outcome."
        case .markedIneligibleByPolicy:
            reason = "DfE has decided, as a matter of policy, that \(course) is not funded for you."
        }
        let others = payersSentence(payers)
        let pay =
            status.needsReview ? "If it is not funded, " + others.prefix(1).lowercased() + others.dropFirst() : others
        return ("\(reason) \(pay)", payers)
    }

    /// Who else may pay, by work setting: the applicant always; a school and its trust for a school; the trust for
    /// an academy trust; an employer for a 16 to 19 or another setting and for early years; another organisation
    /// where there may be no employer to ask.
    public static func payers(for setting: WorkSetting) -> [FundingChoice] {
        switch setting {
        case .aSchool: [.`self`, .school, .trust]
        case .anAcademyTrust: [.`self`, .trust]
        case .a16To19EducationalSetting: [.`self`, .employer]
        case .earlyYearsOrChildcare, .anotherSetting: [.`self`, .employer, .another]
        case .other: [.`self`, .another]
        }
    }

    /// The course's name in a sentence, e.g. "the NPQ in headship"; an unknown identifier as itself.
    public static func courseName(_ identifier: String) -> String {
        switch identifier {
        case "npq-early-years-leadership": "the NPQ in early years leadership"
        case "npq-executive-leadership": "the NPQ in executive leadership"
        case "npq-headship": "the NPQ in headship"
        case "npq-senior-leadership": "the NPQ in senior leadership"
        case "npq-senco": "the NPQ for special educational needs co-ordinators (SENCOs)"
        case "npq-leading-behaviour-culture": "the NPQ in leading behaviour and culture"
        case "npq-leading-literacy": "the NPQ in leading literacy"
        case "npq-leading-primary-mathematics": "the NPQ in leading primary mathematics"
        case "npq-leading-teaching": "the NPQ in leading teaching"
        case "npq-leading-teaching-development": "the NPQ in leading teacher development"
        case CourseIdentifier.earlyHeadshipCoachingOffer: "the early headship coaching offer"
        case CourseIdentifier.additionalSupportOffer: "the additional support offer"
        default: "the course \(identifier)"
        }
    }

    private static func funded(
        rule: EligibilityRule, input: EligibilityInput, version: EligibilityPolicyVersion, course: String
    ) -> String {
        let because: String
        switch rule {
        case .coachingOffer: because = "you are in your first five years of headship"
        case .earlyYearsLeadershipPreschoolClass, .earlyYearsLeadershipSetting:
            because =
                version.earlyYears.leadershipFunding == .everySetting
                ? "it is funded in early years and childcare settings"
                : "your setting is on DfE's list of disadvantaged early years settings"
        case .earlyYearsLeadershipChildminder: because = "you are on DfE's list of eligible childminders"
        case .earlyYearsLANurserySchool: because = "you work in a local authority maintained nursery school"
        case .schoolRISE: because = "your school is in RISE intervention, which funds every course"
        case .schoolTargetedCourse:
            because =
                input.workSetting == .a16To19EducationalSetting
                ? "your setting is on the list of 16 to 19 settings with high disadvantage"
                : "your school is in the top 50% for pupil premium"
        case .leadMentor: because = "you are a lead mentor for an approved ITT provider"
        default: because = "it is funded for everyone working in an eligible school or 16 to 19 setting"
        }
        let capped =
            input.fundingMode == .capped
            ? " Funded places in this cohort are limited: your lead provider confirms whether you have one when it "
                + "accepts your application." : ""
        return "You are eligible for scholarship funding for \(course) because \(because).\(capped)"
    }

    private static func ineligible(rule: EligibilityRule, input: EligibilityInput, course: String) -> String {
        switch rule {
        case .schoolEstablishmentType:
            return
                "Scholarship funding is only available in state-funded schools and 16 to 19 settings in England "
                + "(maintained schools, academies, free schools, special schools, pupil referral units, further "
                + "education colleges and similar). The establishment you named is not one of these."
        case .earlyYearsLeadershipPreschoolClass, .earlyYearsLeadershipSetting:
            return
                "In this cohort, scholarship funding for \(course) in early years settings is only available to highly "
                + "disadvantaged settings on DfE's list. Your setting is not on it."
        case .earlyYearsLANurserySchool:
            return
                "In this cohort, scholarship funding for \(course) in local authority maintained nursery schools is "
                + "only available to the nursery schools on DfE's list. Yours is not on it."
        case .leadMentor:
            return
                "Lead mentors are funded for \(course) only when their ITT provider is on DfE's approved list. Yours "
                + "is not."
        case .otherSetting:
            return
                "Scholarship funding is available to people working in eligible schools, 16 to 19 settings and early "
                + "years settings, and to people referred by a return-to-teaching adviser."
        default:
            let workplace = workplace(input.employmentType)
            return "Scholarship funding for \(course) is not available for someone working \(workplace)."
        }
    }

    private static func workplace(_ employment: EmploymentType?) -> String {
        switch employment {
        case .hospitalSchool: "in a hospital school"
        case .leadMentorForAccreditedITTProvider: "as a lead mentor for an ITT provider"
        case .localAuthoritySupplyTeacher: "as a local authority supply teacher"
        case .localAuthorityVirtualSchool: "in a local authority virtual school"
        case .youngOffenderInstitution: "in a young offender institution"
        case .other, nil: "in your kind of setting"
        }
    }

    /// "You, your school or your trust could pay instead.", or nothing for no payers.
    public static func payersSentence(_ payers: [FundingChoice]) -> String {
        let names = payers.map { payer in
            switch payer {
            case .`self`: "you"
            case .school: "your school"
            case .trust: "your trust"
            case .employer: "your employer"
            case .another: "another organisation"
            }
        }
        guard !names.isEmpty else { return "" }
        let text = list(names, joiner: "or")
        return text.prefix(1).uppercased() + text.dropFirst() + " could pay instead."
    }

    private static func list(_ items: [String], joiner: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(joiner) " + items.last!
    }
}
