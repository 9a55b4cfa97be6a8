import EligibilityDomain
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Rule 5, early years or childcare (2026 policy)")
struct EarlyYearsRulesTests {
    @Test("NPQEYL for a pre-school class that is part of a school is funded")
    func preschoolClass() throws {
        let decision = try F.assess(F.earlyYears(Course.eyl, kind: .preschoolClassAsPartOfSchool))
        #expect(decision.status == .funded)
        #expect(decision.rule == .earlyYearsLeadershipPreschoolClass)
    }

    @Test(
        "NPQEYL for any setting that is not a childminder is funded, with or without an institution",
        arguments: [KindOfNursery.localAuthorityMaintainedNursery, .privateNursery, .anotherEarlyYearsSetting])
    func nonChildminderSetting(kind: KindOfNursery) throws {
        let bare = try F.assess(F.earlyYears(Course.eyl, kind: kind))
        #expect(bare.status == .funded)
        #expect(bare.rule == .earlyYearsLeadershipSetting)
        let provider = EligibilityInstitution(ofstedURN: "EY999999")
        #expect(try F.assess(F.earlyYears(Course.eyl, kind: kind, institution: provider)).status == .funded)
    }

    @Test(
        "NPQEYL for a childminder on the childminders list is funded, the Ofsted URN in any case",
        arguments: ["EY123456", "ey123456", " EY123456 "])
    func listedChildminder(ofstedURN: String) throws {
        let input = F.earlyYears(
            Course.eyl, kind: .childminder, institution: EligibilityInstitution(ofstedURN: ofstedURN))
        let decision = try F.assess(input)
        #expect(decision.status == .funded)
        #expect(decision.rule == .earlyYearsLeadershipChildminder)
    }

    @Test("NPQEYL for a childminder not on the list, or with no Ofsted URN, is not_entitled_childminder")
    func unlistedChildminder() throws {
        let unlisted = F.earlyYears(
            Course.eyl, kind: .childminder, institution: EligibilityInstitution(ofstedURN: "EY000001"))
        #expect(try F.assess(unlisted).status == .notEntitledChildminder)
        #expect(try F.assess(F.earlyYears(Course.eyl, kind: .childminder)).status == .notEntitledChildminder)
        // A childminder is found by Ofsted URN only; a school URN on the list would not count.
        let byURN = F.earlyYears(Course.eyl, kind: .childminder, institution: EligibilityInstitution(urn: "100015"))
        #expect(try F.assess(byURN).status == .notEntitledChildminder)
    }

    @Test(
        "Another course in an LA nursery school (type 15): NPQSENCO, NPQH and NPQSL are funded",
        arguments: [Course.senco, Course.h, Course.sl])
    func laNurserySchool(course: String) throws {
        let nursery = F.school("100020", type: EligibilityRules.laNurserySchoolType)
        let decision = try F.assess(
            F.earlyYears(course, kind: .localAuthorityMaintainedNursery, institution: nursery))
        #expect(decision.status == .funded)
        #expect(decision.rule == .earlyYearsLANurserySchool)
    }

    @Test(
        "Another course in an LA nursery school that is not NPQSENCO, NPQH or NPQSL is early_years_invalid_npq",
        arguments: [Course.el, Course.lbc, Course.ll, Course.lpm, Course.lt, Course.ltd])
    func laNurserySchoolOtherCourse(course: String) throws {
        let nursery = F.school("100020", type: 15)
        let decision = try F.assess(
            F.earlyYears(course, kind: .localAuthorityMaintainedNursery, institution: nursery))
        #expect(decision.status == .earlyYearsInvalidNPQ)
        #expect(decision.rule == .earlyYearsOtherCourse)
    }

    @Test(
        "Another course in an early years setting that is not an LA nursery school is early_years_invalid_npq",
        arguments: [
            KindOfNursery.privateNursery, .anotherEarlyYearsSetting, .childminder, .preschoolClassAsPartOfSchool,
        ])
    func otherSettingOtherCourse(kind: KindOfNursery) throws {
        #expect(try F.assess(F.earlyYears(Course.h, kind: kind)).status == .earlyYearsInvalidNPQ)
        // A pre-school class in a primary school (type 1) is not an LA nursery school.
        #expect(
            try F.assess(F.earlyYears(Course.h, kind: kind, institution: F.school())).status == .earlyYearsInvalidNPQ)
    }

    @Test("The LA nurseries list is not needed in 2026: an LA nursery school off the list is funded for NPQH")
    func laNurseryListNotUsed() throws {
        let offList = F.school("100021", type: 15)
        #expect(!F.lists.laNurseries.contains("100021"))
        let input = F.earlyYears(Course.h, kind: .localAuthorityMaintainedNursery, institution: offList)
        #expect(try F.assess(input).status == .funded)
    }

    @Test("An early years setting without kindOfNursery is an input error naming the field")
    func kindRequired() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.eyl, setting: .earlyYearsOrChildcare, institution: nil))
        }
        #expect(error?.field == "kindOfNursery")
    }
}
