import EligibilityDomain
import Foundation
import MessageContracts
import Testing

private typealias F = Fixtures

@Suite("Policy by cohort: the version that names the cohort decides")
struct PolicyByCohortTests {
    @Test(
        "The version chosen by cohort",
        arguments: [
            ("2021a", "2021-2023"), ("2022a", "2021-2023"), ("2023a", "2021-2023"), ("2024a", "2024"),
            ("2025a", "2025"), ("2026a", "2026"), ("2026b", "2026"),
        ])
    func versionByCohort(cohort: String, version: String) throws {
        #expect(F.policy.version(forCohort: cohort)?.version == version)
        #expect(try F.assess(F.input(Course.h, cohort: cohort)).policyVersion == version)
    }

    @Test(
        "NPQSL in a school not on any list: targeted in 2024a and 2025a, funded everywhere in 2026b",
        arguments: [
            ("2024a", EligibilityStatus.ineligibleEstablishmentNotAPP50), ("2025a", .ineligibleEstablishmentNotAPP50),
            ("2026b", .funded),
        ])
    func seniorLeadership(cohort: String, status: EligibilityStatus) throws {
        #expect(try F.assess(F.input(Course.sl, cohort: cohort)).status == status)
        // On the PP50 list it is funded in every version.
        #expect(try F.assess(F.input(Course.sl, cohort: cohort, institution: F.school(F.On.pp50School))).funded)
    }

    @Test(
        "NPQLPM in a school not on any list: funded everywhere in 2024a, targeted in 2025a and 2026b",
        arguments: [
            ("2024a", EligibilityStatus.funded), ("2025a", .ineligibleEstablishmentNotAPP50),
            ("2026b", .ineligibleEstablishmentNotAPP50),
        ])
    func leadingPrimaryMathematics(cohort: String, status: EligibilityStatus) throws {
        #expect(try F.assess(F.input(Course.lpm, cohort: cohort)).status == status)
    }

    @Test(
        "NPQEYL in a school not on any list: targeted in 2024a and 2025a, funded in 2026b",
        arguments: [
            ("2024a", EligibilityStatus.ineligibleEstablishmentNotAPP50), ("2025a", .ineligibleEstablishmentNotAPP50),
            ("2026b", .funded),
        ])
    func earlyYearsLeadershipInSchool(cohort: String, status: EligibilityStatus) throws {
        #expect(try F.assess(F.input(Course.eyl, cohort: cohort)).status == status)
    }

    @Test(
        "NPQEYL in a private nursery: 2024a and 2025a only on the disadvantaged early years list, 2026b always",
        arguments: ["2024a", "2025a"])
    func earlyYearsLeadershipInNursery(cohort: String) throws {
        let unlisted = F.earlyYears(
            Course.eyl, kind: .privateNursery, cohort: cohort,
            institution: EligibilityInstitution(ofstedURN: "EY999999"))
        let decision = try F.assess(unlisted)
        #expect(decision.status == .ineligibleEstablishmentType)
        #expect(decision.rule == .earlyYearsLeadershipSetting)
        let byOfsted = F.earlyYears(
            Course.eyl, kind: .privateNursery, cohort: cohort,
            institution: EligibilityInstitution(ofstedURN: F.On.disadvantagedProvider))
        #expect(try F.assess(byOfsted).status == .funded)
        let byURN = F.earlyYears(
            Course.eyl, kind: .preschoolClassAsPartOfSchool, cohort: cohort,
            institution: F.school(F.On.disadvantagedSchool))
        #expect(try F.assess(byURN).status == .funded)
        let laNursery = F.earlyYears(
            Course.eyl, kind: .localAuthorityMaintainedNursery, cohort: cohort,
            institution: F.school(F.On.laNursery, type: 15))
        #expect(try F.assess(laNursery).status == .funded)
        #expect(try F.assess(F.earlyYears(Course.eyl, kind: .privateNursery, cohort: "2026b")).status == .funded)
    }

    @Test(
        "A RISE school asking for a targeted course: not in 2024a (no RISE list), funded in 2025a and 2026b",
        arguments: [
            ("2024a", EligibilityStatus.ineligibleEstablishmentNotAPP50), ("2025a", .funded), ("2026b", .funded),
        ])
    func rise(cohort: String, status: EligibilityStatus) throws {
        #expect(try F.assess(F.input(Course.lt, cohort: cohort, institution: F.school(F.On.rise))).status == status)
    }

    @Test(
        "An LA nursery school asking for NPQSL: early_years_invalid_npq in 2024a and 2025a, funded in 2026b",
        arguments: [
            ("2024a", EligibilityStatus.earlyYearsInvalidNPQ), ("2025a", .earlyYearsInvalidNPQ), ("2026b", .funded),
        ])
    func laNurserySeniorLeadership(cohort: String, status: EligibilityStatus) throws {
        let input = F.earlyYears(
            Course.sl, kind: .localAuthorityMaintainedNursery, cohort: cohort,
            institution: F.school(F.On.laNursery, type: 15))
        #expect(try F.assess(input).status == status)
    }

    @Test("2025a: an LA nursery school must be on the LA nurseries list for NPQSENCO; 2026b does not ask")
    func laNurseryListIn2025() throws {
        let listed = F.school(F.On.laNursery, type: 15)
        let unlisted = F.school("100021", type: 15)
        func status(_ cohort: String, _ nursery: EligibilityInstitution) throws -> EligibilityStatus {
            try F.assess(
                F.earlyYears(Course.senco, kind: .localAuthorityMaintainedNursery, cohort: cohort, institution: nursery)
            ).status
        }
        #expect(try status("2025a", listed) == .funded)
        #expect(try status("2025a", unlisted) == .ineligibleEstablishmentType)
        #expect(try status("2024a", unlisted) == .funded)
        #expect(try status("2026b", unlisted) == .funded)
    }

    @Test(
        "Another setting asking for NPQSL: ineligible in 2024a and 2025a, subject_to_review in 2026b",
        arguments: [
            ("2024a", EligibilityStatus.ineligibleEstablishmentType), ("2025a", .ineligibleEstablishmentType),
            ("2026b", .subjectToReview),
        ])
    func anotherSettingSeniorLeadership(cohort: String, status: EligibilityStatus) throws {
        #expect(try F.assess(F.another(Course.sl, employment: .hospitalSchool, cohort: cohort)).status == status)
    }

    @Test("2021a to 2023a: every course is funded in an eligible school", arguments: ["2021a", "2022a", "2023a"])
    func fullyFundedCohorts(cohort: String) throws {
        for course in Course.placed {
            let decision = try F.assess(F.input(course, cohort: cohort))
            #expect(decision.status == .funded)
            // A full cohort funds every eligible application: no word about limited places.
            #expect(!decision.explanation.contains("limited"))
        }
    }

    @Test("The zero cohort 2026a is unfunded_cohort for every course and work setting")
    func zeroCohort() throws {
        for course in Course.placed + [Course.ehco, Course.aso] {
            for setting in WorkSetting.allCases {
                let input = F.input(course, cohort: "2026a", setting: setting, headteacher: .yesInFirstFiveYears)
                let decision = try F.assess(input)
                #expect(decision.status == .unfundedCohort)
                #expect(decision.explanation.contains("2026a"))
            }
        }
    }

    @Test("A cohort no version names is an input error naming cohort")
    func unknownCohort() {
        let error = #expect(throws: EligibilityError.self) { try F.assess(F.input(Course.h, cohort: "2027a")) }
        #expect(error?.field == "cohort")
        #expect(error?.message.contains("2026b") == true)
    }

    @Test("A course the version does not know is an input error naming course")
    func unknownCourse() {
        let error = #expect(throws: EligibilityError.self) { try F.assess(F.input("npq-leading-maths")) }
        #expect(error?.field == "course")
        #expect(error?.message.contains("npq-headship") == true)
    }

    @Test("Every cohort of reference/cohorts/cohorts.json has a policy version")
    func everyCohortCovered() throws {
        let url = F.repository.appendingPathComponent("reference/cohorts/cohorts.json")
        let document = try JSONValue(parsing: try Data(contentsOf: url))
        guard case .array(let cohorts) = try #require(document["cohorts"]) else {
            Issue.record("cohorts.json has no cohorts array")
            return
        }
        #expect(!cohorts.isEmpty)
        for cohort in cohorts {
            let identifier = try #require(cohort["cohort"]?.stringValue)
            #expect(F.policy.version(forCohort: identifier) != nil, "no policy version for \(identifier)")
            #expect(cohort["fundingMode"]?.stringValue == F.mode(identifier).rawValue)
        }
    }

    @Test("The shipped versions place each of the ten courses in exactly one set, as the table of eligibility.md")
    func shippedSets() throws {
        for version in F.policy.versions {
            #expect(version.universalCourses.union(version.targetedCourses) == Set(Course.placed))
            #expect(version.universalCourses.isDisjoint(with: version.targetedCourses))
        }
        let v2024 = try #require(F.policy.version(forCohort: "2024a"))
        #expect(v2024.universalCourses == [Course.senco, Course.h, Course.lpm])
        #expect(!v2024.riseFundsAllCourses)
        let v2025 = try #require(F.policy.version(forCohort: "2025a"))
        #expect(v2025.universalCourses == [Course.senco, Course.h])
        #expect(v2025.riseFundsAllCourses)
        let v2026 = try #require(F.policy.version(forCohort: "2026b"))
        #expect(v2026.universalCourses == [Course.senco, Course.h, Course.sl, Course.eyl])
        #expect(v2026.targetedCourses == Set(Course.targeted2026))
        #expect(v2026.riseFundsAllCourses)
        #expect(v2026.earlyYears.leadershipFunding == .everySetting)
        #expect(v2026.eligibleEstablishmentTypeCodes == Set(SchoolRulesTests.eligibleTypes))
    }
}
