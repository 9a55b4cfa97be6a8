import EligibilityDomain
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Decision order: rules 1 to 4, the first that matches wins")
struct DecisionOrderTests {
    @Test("Rule 1: a cohort with funding mode zero is unfunded_cohort, whatever else is true")
    func zeroCohort() throws {
        let decision = try F.assess(
            F.input(
                Course.h, cohort: "2026a", worksIn: .wales, headteacher: .yesInFirstFiveYears, previouslyFunded: true))
        #expect(decision.status == .unfundedCohort)
        #expect(decision.rule == .unfundedCohort)
        #expect(!decision.funded)
        #expect(!decision.reviewRequired)
        #expect(decision.policyVersion == "2026")
    }

    @Test("Rule 1 needs no other answer: a zero cohort with no institution is still unfunded_cohort")
    func zeroCohortBeforeInputChecks() throws {
        #expect(try F.assess(F.input(Course.h, cohort: "2026a", institution: nil)).status == .unfundedCohort)
        #expect(
            try F.assess(F.input(Course.ehco, cohort: "2026a", headteacher: nil)).status == .unfundedCohort)
    }

    @Test(
        "Rule 2: working outside England is not_in_england",
        arguments: WorkCountry.allCases.filter { $0 != .england })
    func notInEngland(country: WorkCountry) throws {
        let decision = try F.assess(F.input(Course.h, worksIn: country))
        #expect(decision.status == .notInEngland)
        #expect(decision.rule == .notInEngland)
    }

    @Test("Rule 2 comes before rule 3: outside England and previously funded is not_in_england")
    func notInEnglandBeforePreviouslyFunded() throws {
        #expect(try F.assess(F.input(Course.h, worksIn: .scotland, previouslyFunded: true)).status == .notInEngland)
    }

    @Test("Rule 3: previously funded for the course is previously_funded, before EHCO and the work setting")
    func previouslyFunded() throws {
        let school = try F.assess(F.input(Course.h, previouslyFunded: true))
        #expect(school.status == .previouslyFunded)
        #expect(school.rule == .previouslyFunded)
        let ehco = try F.assess(F.input(Course.ehco, headteacher: .yesInFirstFiveYears, previouslyFunded: true))
        #expect(ehco.status == .previouslyFunded)
        // Rule 3 comes before rule 5: no institution is needed to say so.
        let noInstitution = try F.assess(F.input(Course.lt, institution: nil, previouslyFunded: true))
        #expect(noInstitution.status == .previouslyFunded)
    }

    @Test(
        "Rule 4: EHCO is funded only for a headteacher in the first five years of headship",
        arguments: [
            (HeadteacherStatus.yesInFirstFiveYears, EligibilityStatus.funded),
            (.yesOverFiveYears, .notNewHeadteacherRequestingEHCO),
            (.no, .notNewHeadteacherRequestingEHCO),
        ])
    func ehco(headteacher: HeadteacherStatus, status: EligibilityStatus) throws {
        let decision = try F.assess(F.input(Course.ehco, headteacher: headteacher))
        #expect(decision.status == status)
        #expect(decision.rule == .coachingOffer)
    }

    @Test(
        "Rule 4: the legacy ASO is decided as EHCO",
        arguments: [
            (HeadteacherStatus.yesInFirstFiveYears, EligibilityStatus.funded),
            (.yesOverFiveYears, .notNewHeadteacherRequestingEHCO),
            (.no, .notNewHeadteacherRequestingEHCO),
        ])
    func aso(headteacher: HeadteacherStatus, status: EligibilityStatus) throws {
        let decision = try F.assess(F.input(Course.aso, headteacher: headteacher))
        #expect(decision.status == status)
        #expect(decision.rule == .coachingOffer)
    }

    @Test("Rule 4: EHCO does not look at the work setting", arguments: WorkSetting.allCases)
    func ehcoIgnoresSetting(setting: WorkSetting) throws {
        // No institution, no employment type, an ineligible school: none of it matters.
        let input = F.input(Course.ehco, setting: setting, institution: nil, headteacher: .yesInFirstFiveYears)
        #expect(try F.assess(input).status == .funded)
        let independent = F.input(
            Course.ehco, setting: setting, institution: F.school(type: 11), headteacher: .yesInFirstFiveYears)
        #expect(try F.assess(independent).status == .funded)
    }

    @Test("Rule 4: EHCO without a headteacher status is an input error naming headteacherStatus")
    func ehcoNeedsHeadteacherStatus() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.ehco, headteacher: nil))
        }
        #expect(error?.code == .input)
        #expect(error?.field == "headteacherStatus")
        #expect(error?.description.hasPrefix("headteacherStatus: missing") == true)
    }

    @Test(
        "Every status code of the rules is reached",
        arguments: [
            (F.input(Course.h, cohort: "2026a"), EligibilityStatus.unfundedCohort),
            (F.input(Course.h, worksIn: .northernIreland), .notInEngland),
            (F.input(Course.h, previouslyFunded: true), .previouslyFunded),
            (F.input(Course.ehco, headteacher: .yesOverFiveYears), .notNewHeadteacherRequestingEHCO),
            (F.earlyYears(Course.eyl, kind: .childminder), .notEntitledChildminder),
            (F.earlyYears(Course.h, kind: .privateNursery), .earlyYearsInvalidNPQ),
            (F.input(Course.h, institution: F.school(type: 11)), .ineligibleEstablishmentType),
            (F.input(Course.lt), .ineligibleEstablishmentNotAPP50),
            (F.another(Course.h, employment: .leadMentorForAccreditedITTProvider), .notLeadMentorCourse),
            (F.another(Course.h, employment: .hospitalSchool), .subjectToReview),
            (F.input(Course.h, setting: .other, institution: nil, referred: true), .referredByReturnToTeachingAdviser),
            (F.input(Course.h), .funded),
        ])
    func everyStatus(input: EligibilityInput, status: EligibilityStatus) throws {
        let decision = try F.assess(input)
        #expect(decision.status == status)
        #expect(decision.funded == (status == .funded))
        #expect(decision.reviewRequired == (status == .subjectToReview || status == .referredByReturnToTeachingAdviser))
    }
}
