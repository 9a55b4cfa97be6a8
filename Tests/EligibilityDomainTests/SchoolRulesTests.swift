import EligibilityDomain
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Rule 5, a school, an academy trust or a 16 to 19 setting (2026 policy)")
struct SchoolRulesTests {
    static let schoolSettings: [WorkSetting] = [.aSchool, .anAcademyTrust, .a16To19EducationalSetting]
    static let eligibleTypes = [
        1, 2, 3, 5, 6, 7, 8, 10, 12, 14, 15, 18, 24, 26, 28, 31, 32, 33, 34, 35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46,
    ]

    @Test("1: a school on the RISE list is funded for every course, targeted ones included", arguments: Course.placed)
    func riseFundsEveryCourse(course: String) throws {
        let decision = try F.assess(F.input(course, institution: F.school(F.On.rise)))
        #expect(decision.status == .funded)
        #expect(decision.rule == .schoolRISE)
    }

    @Test("1 comes before 2: a RISE school is funded before its establishment type is looked at")
    func riseBeforeEstablishmentType() throws {
        let decision = try F.assess(F.input(Course.lt, institution: F.school(F.On.rise, type: 11)))
        #expect(decision.status == .funded)
        #expect(decision.rule == .schoolRISE)
        // Nor is the type needed at all.
        #expect(try F.assess(F.input(Course.lt, institution: F.school(F.On.rise, type: nil))).status == .funded)
    }

    @Test(
        "2: an establishment type that is not eligible is ineligible_establishment_type",
        arguments: [11, 25, 29, 30, 37, 56])
    func ineligibleType(type: Int) throws {
        for setting in Self.schoolSettings {
            let decision = try F.assess(F.input(Course.h, setting: setting, institution: F.school(type: type)))
            #expect(decision.status == .ineligibleEstablishmentType)
            #expect(decision.rule == .schoolEstablishmentType)
        }
    }

    @Test("2: every eligible establishment type of eligibility.md funds NPQH", arguments: eligibleTypes)
    func eligibleType(type: Int) throws {
        #expect(try F.assess(F.input(Course.h, institution: F.school(type: type))).status == .funded)
    }

    @Test("2 comes before 4: an ineligible school on the PP50 list is still ineligible_establishment_type")
    func typeBeforePP50() throws {
        let decision = try F.assess(F.input(Course.lt, institution: F.school(F.On.pp50School, type: 11)))
        #expect(decision.status == .ineligibleEstablishmentType)
    }

    @Test("3: NPQEYL is funded in any eligible school, on a list or not")
    func earlyYearsLeadershipInSchool() throws {
        let decision = try F.assess(F.input(Course.eyl))
        #expect(decision.status == .funded)
        #expect(decision.rule == .schoolEarlyYearsLeadership)
    }

    @Test("4: a targeted course in a school on the PP50 list is funded", arguments: Course.targeted2026)
    func targetedInPP50School(course: String) throws {
        for setting in [WorkSetting.aSchool, .anAcademyTrust] {
            let decision = try F.assess(F.input(course, setting: setting, institution: F.school(F.On.pp50School)))
            #expect(decision.status == .funded)
            #expect(decision.rule == .schoolTargetedCourse)
        }
    }

    @Test(
        "4: a targeted course in a school not on the PP50 list is ineligible_establishment_not_a_pp50",
        arguments: Course.targeted2026)
    func targetedOutsidePP50(course: String) throws {
        let decision = try F.assess(F.input(course))
        #expect(decision.status == .ineligibleEstablishmentNotAPP50)
        #expect(decision.rule == .schoolTargetedCourse)
    }

    @Test("4: a 16 to 19 setting is found on the PP50 further education list by UKPRN")
    func sixteenToNineteenByUKPRN() throws {
        let college = F.school("100030", type: 18, ukprn: F.On.pp50FE)
        let decision = try F.assess(F.input(Course.lt, setting: .a16To19EducationalSetting, institution: college))
        #expect(decision.status == .funded)
        #expect(decision.rule == .schoolTargetedCourse)
    }

    @Test("4: for a 16 to 19 setting the PP50 schools list does not count, only the FE list")
    func sixteenToNineteenIgnoresSchoolsList() throws {
        let college = F.school(F.On.pp50School, type: 18, ukprn: "10000099")
        let decision = try F.assess(F.input(Course.lt, setting: .a16To19EducationalSetting, institution: college))
        #expect(decision.status == .ineligibleEstablishmentNotAPP50)
    }

    @Test("4: for a school the FE list does not count, only the PP50 schools list by URN")
    func schoolIgnoresFEList() throws {
        let academy = F.school("100031", type: 34, ukprn: F.On.pp50FE)
        #expect(try F.assess(F.input(Course.lt, institution: academy)).status == .ineligibleEstablishmentNotAPP50)
    }

    @Test(
        "5: NPQH, NPQSL and NPQSENCO are funded in any eligible school, academy trust or 16 to 19 setting",
        arguments: [Course.h, Course.sl, Course.senco])
    func universalCourses(course: String) throws {
        for setting in Self.schoolSettings {
            let decision = try F.assess(F.input(course, setting: setting, institution: F.school(type: 34)))
            #expect(decision.status == .funded)
            #expect(decision.rule == .schoolUniversalCourse)
        }
    }

    @Test("A school setting without an institution is an input error, not an outcome", arguments: schoolSettings)
    func institutionRequired(setting: WorkSetting) {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.h, setting: setting, institution: nil))
        }
        #expect(error?.code == .input)
        #expect(error?.field == "institution")
    }

    @Test("A school without an establishment type (and not on the RISE list) is an input error")
    func typeRequired() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.h, institution: F.school(type: nil)))
        }
        #expect(error?.field == "institution.establishmentTypeCode")
    }

    @Test("A targeted course in a 16 to 19 setting without a UKPRN, or a school without a URN, is an input error")
    func identifiersForPP50() {
        let college = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.lt, setting: .a16To19EducationalSetting, institution: F.school(type: 18)))
        }
        #expect(college?.field == "institution.ukprn")
        let school = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.lt, institution: F.school(nil, ukprn: "10000002")))
        }
        #expect(school?.field == "institution.urn")
    }

    @Test("A closed school is an input error naming institution.urn")
    func closedSchool() {
        let error = #expect(throws: EligibilityError.self) {
            try F.assess(F.input(Course.h, institution: F.school(open: false)))
        }
        #expect(error?.field == "institution.urn")
        #expect(error?.message.contains("closed") == true)
    }
}
