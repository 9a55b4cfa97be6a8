import EligibilityDomain
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Rule 5, another setting and other (2026 policy)")
struct AnotherSettingRulesTests {
    static let reviewed: [EmploymentType] = [
        .localAuthorityVirtualSchool, .hospitalSchool, .youngOffenderInstitution, .localAuthoritySupplyTeacher,
    ]

    @Test("1: a lead mentor whose ITT provider is approved is funded for NPQLTD")
    func leadMentorApproved() throws {
        let decision = try F.assess(
            F.another(Course.ltd, employment: .leadMentorForAccreditedITTProvider, ittApproved: true))
        #expect(decision.status == .funded)
        #expect(decision.rule == .leadMentor)
    }

    @Test("1: a lead mentor whose ITT provider is not approved is ineligible_establishment_type for NPQLTD")
    func leadMentorNotApproved() throws {
        let decision = try F.assess(
            F.another(Course.ltd, employment: .leadMentorForAccreditedITTProvider, ittApproved: false))
        #expect(decision.status == .ineligibleEstablishmentType)
        #expect(decision.rule == .leadMentor)
    }

    @Test(
        "1: a lead mentor asking for any other course is not_lead_mentor_course, approved provider or not",
        arguments: Course.placed.filter { $0 != Course.ltd })
    func leadMentorOtherCourse(course: String) throws {
        for approved in [true, false, nil] {
            let decision = try F.assess(
                F.another(course, employment: .leadMentorForAccreditedITTProvider, ittApproved: approved))
            #expect(decision.status == .notLeadMentorCourse)
        }
    }

    @Test("1: a lead mentor asking for NPQLTD without saying whether the provider is approved is an input error")
    func leadMentorNeedsApproval() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.another(Course.ltd, employment: .leadMentorForAccreditedITTProvider))
        }
        #expect(error?.field == "ittProviderApproved")
    }

    @Test(
        "2: a reviewed employment type asking for NPQH, NPQSENCO or NPQSL is subject_to_review",
        arguments: reviewed)
    func manualReview(employment: EmploymentType) throws {
        for course in [Course.h, Course.senco, Course.sl] {
            let decision = try F.assess(F.another(course, employment: employment))
            #expect(decision.status == .subjectToReview)
            #expect(decision.rule == .anotherSettingReview)
            #expect(decision.reviewRequired)
            #expect(!decision.funded)
        }
    }

    @Test(
        "3: the same employment types asking for another course are ineligible_establishment_type", arguments: reviewed)
    func reviewedTypesOtherCourse(employment: EmploymentType) throws {
        for course in [Course.eyl, Course.el, Course.lt, Course.ltd, Course.lpm] {
            let decision = try F.assess(F.another(course, employment: employment))
            #expect(decision.status == .ineligibleEstablishmentType)
            #expect(decision.rule == .anotherSettingOtherwise)
        }
    }

    @Test("3: other employment in another setting is ineligible_establishment_type", arguments: Course.placed)
    func otherEmployment(course: String) throws {
        #expect(try F.assess(F.another(course, employment: .other)).status == .ineligibleEstablishmentType)
    }

    @Test("Another setting without an employment type is an input error naming employmentType")
    func employmentRequired() {
        let error = #expect(throws: EligibilityError.self) { try F.assess(F.another(Course.h, employment: nil)) }
        #expect(error?.field == "employmentType")
    }

    @Test("Other: referred by a return-to-teaching adviser is referred_by_return_to_teaching_adviser, for review")
    func referred() throws {
        let decision = try F.assess(F.input(Course.lt, setting: .other, institution: nil, referred: true))
        #expect(decision.status == .referredByReturnToTeachingAdviser)
        #expect(decision.rule == .otherSetting)
        #expect(decision.reviewRequired)
        #expect(!decision.funded)
    }

    @Test("Other: not referred is ineligible_establishment_type")
    func notReferred() throws {
        let decision = try F.assess(F.input(Course.h, setting: .other, institution: nil, referred: false))
        #expect(decision.status == .ineligibleEstablishmentType)
        #expect(decision.rule == .otherSetting)
    }

    @Test("Other without the referral answer is an input error naming referredByReturnToTeachingAdviser")
    func referralRequired() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.h, setting: .other, institution: nil))
        }
        #expect(error?.field == "referredByReturnToTeachingAdviser")
    }
}
