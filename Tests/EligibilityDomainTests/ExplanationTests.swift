import EligibilityDomain
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Explanations: plain English, naming who else may pay")
struct ExplanationTests {
    static let notFunded: [(EligibilityInput, EligibilityStatus)] = [
        (F.input(Course.h, cohort: "2026a"), .unfundedCohort),
        (F.input(Course.h, worksIn: .wales), .notInEngland),
        (F.input(Course.ehco, headteacher: .yesInFirstFiveYears, previouslyFunded: true), .previouslyFunded),
        (F.input(Course.ehco, headteacher: .no), .notNewHeadteacherRequestingEHCO),
        (F.earlyYears(Course.eyl, kind: .childminder), .notEntitledChildminder),
        (F.earlyYears(Course.lt, kind: .privateNursery), .earlyYearsInvalidNPQ),
        (F.input(Course.h, institution: F.school(type: 11)), .ineligibleEstablishmentType),
        (F.input(Course.lt), .ineligibleEstablishmentNotAPP50),
        (F.another(Course.h, employment: .leadMentorForAccreditedITTProvider), .notLeadMentorCourse),
        (F.another(Course.h, employment: .youngOffenderInstitution), .subjectToReview),
        (F.input(Course.h, setting: .other, institution: nil, referred: true), .referredByReturnToTeachingAdviser),
    ]

    @Test("Every outcome that is not funded says who else may pay, and lists them", arguments: notFunded)
    func namesPayers(input: EligibilityInput, status: EligibilityStatus) throws {
        let decision = try F.assess(input)
        #expect(decision.status == status)
        #expect(decision.otherPayers == EligibilityExplanation.payers(for: input.workSetting))
        #expect(decision.explanation.contains("could pay"))
        #expect(decision.explanation.contains("you") || decision.explanation.contains("You"))
    }

    @Test("ineligible_establishment_not_a_pp50 reads as eligibility.md's example")
    func notAPP50() throws {
        let decision = try F.assess(F.input(Course.lt))
        #expect(
            decision.explanation
                == "Scholarship funding for the NPQ in leading teaching is only available to schools in the top 50% "
                + "for pupil premium, 16 to 19 settings with high disadvantage, and schools in RISE intervention. Your "
                + "school is not on these lists. You, your school or your trust could pay instead.")
        #expect(decision.otherPayers == [.`self`, .school, .trust])
    }

    @Test("A funded decision names no payer; in a capped cohort it says the provider confirms the place")
    func funded() throws {
        let capped = try F.assess(F.input(Course.h))
        #expect(capped.otherPayers.isEmpty)
        #expect(capped.explanation.hasPrefix("You are eligible for scholarship funding for the NPQ in headship"))
        #expect(capped.explanation.contains("your lead provider confirms"))
        let full = try F.assess(F.input(Course.h, cohort: "2023a"))
        #expect(!full.explanation.contains("lead provider"))
    }

    @Test("Manual review says DfE will review, and who pays if not funded")
    func review() throws {
        let decision = try F.assess(F.another(Course.senco, employment: .localAuthorityVirtualSchool))
        #expect(decision.explanation.contains("DfE will review"))
        #expect(decision.explanation.contains("in a local authority virtual school"))
        #expect(
            decision.explanation.hasSuffix(
                "If it is not funded, you, your employer or another organisation could pay instead."))
    }

    @Test(
        "Payers by work setting",
        arguments: [
            (WorkSetting.aSchool, [FundingChoice.`self`, .school, .trust]), (.anAcademyTrust, [.`self`, .trust]),
            (.a16To19EducationalSetting, [.`self`, .employer]),
            (.earlyYearsOrChildcare, [.`self`, .employer, .another]),
            (.anotherSetting, [.`self`, .employer, .another]), (.other, [.`self`, .another]),
        ])
    func payers(setting: WorkSetting, payers: [FundingChoice]) {
        #expect(EligibilityExplanation.payers(for: setting) == payers)
    }

    @Test("Every status, the operator's two included, has an explanation", arguments: EligibilityStatus.allCases)
    func everyStatus(status: EligibilityStatus) throws {
        let version = try #require(F.policy.version(forCohort: "2026b"))
        let (text, payers) = EligibilityExplanation.explain(
            status, rule: .schoolUniversalCourse, input: F.input(Course.h), version: version)
        #expect(text.count > 40)
        #expect(payers.isEmpty == status.isFunded)
    }
}
