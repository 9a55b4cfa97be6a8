import EligibilityDomain
import Foundation
import Testing

private typealias F = Fixtures

@Suite("The policy file")
struct PolicyFileTests {
    /// A valid one-version file, changed by `edit` (a JSON object as a dictionary).
    static func file(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var version: [String: Any] = [
            "version": "2026", "cohorts": ["2026a", "2026b"], "source": "test",
            "universalCourses": [Course.h, Course.senco, Course.sl, Course.eyl],
            "targetedCourses": Course.targeted2026, "riseFundsAllCourses": true,
            "eligibleEstablishmentTypeCodes": [1, 15, 18], "leadMentorCourses": [Course.ltd],
            "anotherSettingReviewCourses": [Course.h],
            "earlyYears": [
                "leadershipFunding": "every_setting", "laNurserySchoolCourses": [Course.h],
                "laNurserySchoolListRequired": false,
            ],
        ]
        edit(&version)
        return try! JSONSerialization.data(withJSONObject: ["about": "test", "versions": [version]])
    }

    static func error(_ data: Data) -> EligibilityError? {
        #expect(throws: EligibilityError.self) { try EligibilityPolicy.parse(data, file: "policy.json") }
    }

    @Test("The shipped file loads: four versions covering 2021a to 2026b")
    func shippedFile() throws {
        let policy = try EligibilityPolicy.parse(try Data(contentsOf: F.reference("policy.json")))
        #expect(policy.versions.map(\.version) == ["2021-2023", "2024", "2025", "2026"])
        #expect(policy.versions.flatMap(\.cohorts) == ["2021a", "2022a", "2023a", "2024a", "2025a", "2026a", "2026b"])
        #expect(policy.about?.contains("2021a-2023a") == true)
    }

    @Test("A valid file loads")
    func valid() throws {
        let policy = try EligibilityPolicy.parse(Self.file())
        #expect(policy.versions.first?.eligibleEstablishmentTypeCodes == [1, 15, 18])
    }

    @Test(
        "A broken file is refused naming the file, the version and the field",
        arguments: [
            ("riseFundsAllCourses", "policy.json: versions[0] (2026).riseFundsAllCourses: missing"),
            ("earlyYears", "policy.json: versions[0] (2026).earlyYears: missing"),
            ("cohorts", "policy.json: versions[0] (2026).cohorts: missing"),
        ])
    func missingField(field: String, message: String) {
        let error = Self.error(Self.file { $0.removeValue(forKey: field) })
        #expect(error?.description == message)
        #expect(error?.code == .policyFile)
    }

    @Test("Each rule of the file is checked")
    func rules() {
        func message(_ edit: (inout [String: Any]) -> Void) -> String { Self.error(Self.file(edit))?.description ?? "" }
        #expect(
            message { $0["riseFundsAll"] = true }.hasPrefix("policy.json: versions[0] (2026).riseFundsAll: not a field")
        )
        #expect(
            message { $0["targetedCourses"] = [Course.h] }
                == "policy.json: versions[0] (2026).targetedCourses: npq-headship is in universalCourses too; a course "
                + "is in one set only")
        #expect(message { $0["universalCourses"] = [Course.ehco] }.contains("decided by headteacher status"))
        #expect(
            message { $0["targetedCourses"] = ["NPQLT"] }.hasPrefix(
                "policy.json: versions[0] (2026).targetedCourses[0]: \"NPQLT\" is not a course identifier"))
        #expect(message { $0["cohorts"] = ["2026"] }.contains("cohorts[0]: \"2026\" is not a cohort identifier"))
        #expect(message { $0["cohorts"] = [String]() }.contains("at least one cohort"))
        #expect(
            message { $0["eligibleEstablishmentTypeCodes"] = [1, "15"] }.contains("eligibleEstablishmentTypeCodes[1]"))
        #expect(message { $0["eligibleEstablishmentTypeCodes"] = [1, 1] }.contains("1 is listed twice"))
        #expect(
            message { $0["leadMentorCourses"] = ["npq-unknown"] }.contains(
                "leadMentorCourses: npq-unknown is in neither universalCourses nor targetedCourses"))
        #expect(
            message {
                $0["earlyYears"] = [
                    "leadershipFunding": "some", "laNurserySchoolCourses": [String](),
                    "laNurserySchoolListRequired": false,
                ]
            }
            .contains(
                "earlyYears.leadershipFunding: \"some\" is not allowed; use every_setting or disadvantaged_settings"))
        #expect(message { $0["riseFundsAllCourses"] = "yes" }.contains("must be true or false"))
    }

    @Test("A cohort in two versions, or two versions with one name, is refused")
    func duplicates() throws {
        var document = try #require(try JSONSerialization.jsonObject(with: Self.file()) as? [String: Any])
        var versions = try #require(document["versions"] as? [[String: Any]])
        var second = versions[0]
        second["version"] = "2026-bis"
        second["cohorts"] = ["2026b"]
        versions.append(second)
        document["versions"] = versions
        let twice = Self.error(try JSONSerialization.data(withJSONObject: document))
        #expect(
            twice?.description
                == "policy.json: versions[1] (2026-bis).cohorts: 2026b is already in version 2026; a cohort has one "
                + "version")
        versions[1]["version"] = "2026"
        versions[1]["cohorts"] = ["2027a"]
        document["versions"] = versions
        let sameName = Self.error(try JSONSerialization.data(withJSONObject: document))
        #expect(sameName?.field == "versions[1] (2026).version")
    }

    @Test("Not JSON, no versions, or an unknown top-level field is refused")
    func documentLevel() {
        #expect(Self.error(Data("{".utf8))?.description.hasPrefix("policy.json: ") == true)
        #expect(
            Self.error(Data(#"{"versions": []}"#.utf8))?.description
                == "policy.json: versions: at least one version is needed")
        #expect(
            Self.error(Data(#"{"version": []}"#.utf8))?.description.hasPrefix("policy.json: version: not a field")
                == true)
        #expect(Self.error(Data(#"[]"#.utf8))?.description == "policy.json: must be an object, not a list")
    }
}
