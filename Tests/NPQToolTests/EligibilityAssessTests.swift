import Foundation
import NPQTestSupport
import Testing

/// `npq eligibility assess`, run as a child process against the shipped reference files.
@Suite("npq eligibility assess")
struct EligibilityAssessTests {
    /// One output line: a decision or an error.
    struct OutputLine: Decodable {
        var id: String?
        var status: String?
        var funded: Bool?
        var reviewRequired: Bool?
        var explanation: String?
        var error: String?
    }

    static func decode(_ run: ExecutableRun) throws -> [OutputLine] {
        try run.lines.map { try JSONDecoder().decode(OutputLine.self, from: Data($0.utf8)) }
    }

    static func assess(
        _ lines: [String], options: [String] = [], in directory: URL = ExecutableRun.repository
    ) async throws -> ExecutableRun {
        try await ExecutableRun(
            "npq", ["eligibility", "assess"] + options, input: lines.joined(separator: "\n") + "\n", in: directory)
    }

    /// A line for a 2026b application in a school, with `extra` JSON members appended.
    static func school(_ id: String, _ course: String, urn: String, _ extra: String = "") -> String {
        #"{"id": "\#(id)", "cohort": "2026b", "course": "\#(course)", "worksInEngland": true, "workSetting": "a_school", "institution": {"urn": "\#(urn)"}\#(extra)}"#
    }

    /// A temporary directory holding copies of the shipped reference lists, with `changes` (file name → contents).
    static func listsDirectory(_ changes: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eligibility-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shipped = ExecutableRun.repository.appendingPathComponent("reference/eligibility")
        for name in [
            "pp50-schools.csv", "pp50-fe.csv", "rise-schools.csv", "childminders.csv", "la-nurseries.csv",
            "disadvantaged-early-years.csv", "schools.csv", "policy.json",
        ] {
            try FileManager.default.copyItem(
                at: shipped.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        for (name, contents) in changes {
            let file = directory.appendingPathComponent(name)
            if contents.isEmpty {
                try FileManager.default.removeItem(at: file)
            } else {
                try Data(contents.utf8).write(to: file)
            }
        }
        return directory
    }

    @Test("Applications across courses and settings, one per line, come back decided and in order")
    func workedExamples() async throws {
        let run = try await Self.assess([
            // Ashcombe Primary (type 1) is on the PP50 list; St Anselm's is a RISE school; Brook Meadow is not listed.
            Self.school("pp50", "npq-leading-teaching", urn: "100101"),
            Self.school("rise", "npq-leading-literacy", urn: "100102"),
            Self.school("not-pp50", "npq-leading-teaching", urn: "107202"),
            Self.school("universal", "npq-senior-leadership", urn: "107202"),
            Self.school("independent", "npq-headship", urn: "112002"),
            #"{"id": "fe", "cohort": "2026b", "course": "npq-leading-behaviour-culture", "worksInEngland": true, "workSetting": "a_16_to_19_educational_setting", "institution": {"urn": "113001"}}"#,
            #"{"id": "ehco", "cohort": "2026b", "course": "npq-early-headship-coaching-offer", "worksInEngland": true, "workSetting": "another_setting", "headteacherStatus": "yes_over_five_years"}"#,
            #"{"id": "childminder", "cohort": "2026b", "course": "npq-early-years-leadership", "worksInEngland": true, "workSetting": "early_years_or_childcare", "kindOfNursery": "childminder", "institution": {"ofstedUrn": "EY000001"}}"#,
            #"{"id": "nursery", "cohort": "2026b", "course": "npq-senco", "worksInEngland": true, "workSetting": "early_years_or_childcare", "kindOfNursery": "local_authority_maintained_nursery", "institution": {"urn": "107203"}}"#,
            #"{"id": "mentor", "cohort": "2026b", "course": "npq-leading-teaching-development", "worksInEngland": true, "workSetting": "another_setting", "employmentType": "lead_mentor_for_accredited_itt_provider", "ittProviderApproved": true}"#,
            #"{"id": "review", "cohort": "2026b", "course": "npq-senco", "worksInEngland": true, "workSetting": "another_setting", "employmentType": "young_offender_institution"}"#,
            #"{"id": "adviser", "cohort": "2026b", "course": "npq-headship", "worksInEngland": true, "workSetting": "other", "referredByReturnToTeachingAdviser": true}"#,
            #"{"id": "scotland", "cohort": "2026b", "course": "npq-headship", "worksInEngland": "scotland", "workSetting": "a_school"}"#,
            #"{"id": "abroad", "cohort": "2026b", "course": "npq-headship", "worksInEngland": false, "workSetting": "a_school"}"#,
            #"{"id": "again", "cohort": "2026b", "course": "npq-headship", "worksInEngland": true, "workSetting": "a_school", "institution": {"urn": "100101"}, "previouslyFunded": true}"#,
        ])
        #expect(run.status == 0)
        #expect(run.error.isEmpty)
        let lines = try Self.decode(run)
        #expect(
            lines.map(\.id) == [
                "pp50", "rise", "not-pp50", "universal", "independent", "fe", "ehco", "childminder", "nursery",
                "mentor",
                "review", "adviser", "scotland", "abroad", "again",
            ])
        #expect(
            lines.map(\.status) == [
                "funded", "funded", "ineligible_establishment_not_a_pp50", "funded", "ineligible_establishment_type",
                "funded", "not_new_headteacher_requesting_ehco", "not_entitled_childminder", "funded", "funded",
                "subject_to_review", "referred_by_return_to_teaching_adviser", "not_in_england", "not_in_england",
                "previously_funded",
            ])
        #expect(lines.map(\.funded) == lines.map { $0.status == "funded" })
        #expect(
            lines.map(\.reviewRequired)
                == lines.map {
                    $0.status == "subject_to_review" || $0.status == "referred_by_return_to_teaching_adviser"
                })
        #expect(lines.allSatisfy { $0.error == nil && !($0.explanation ?? "").isEmpty })
        #expect(lines[2].explanation?.contains("You, your school or your trust could pay instead.") == true)
    }

    @Test("A decision has exactly the keys explanation, funded, id, reviewRequired and status, sorted")
    func keys() async throws {
        let run = try await Self.assess([Self.school("k", "npq-headship", urn: "107202")])
        #expect(run.status == 0)
        #expect(run.lines.count == 1)
        let line = try #require(run.lines.first)
        #expect(line.hasPrefix(#"{"explanation":"You are eligible for scholarship funding for the NPQ in headship"#))
        #expect(line.hasSuffix(#"","funded":true,"id":"k","reviewRequired":false,"status":"funded"}"#))
    }

    @Test("A bad line gives an error naming line and field, the run goes on, and the exit status is 1")
    func badLines() async throws {
        let run = try await Self.assess([
            Self.school("ok", "npq-headship", urn: "100101"),
            #"{"id": "broken", "#,
            "",
            #"{"cohort": "2026b", "course": "npq-headship", "worksInEngland": true, "workSetting": "a_school"}"#,
            Self.school("typo", "npq-headship", urn: "100101", #", "workSeting": "a_school""#),
            #"{"id": "setting", "cohort": "2026b", "course": "npq-headship", "worksInEngland": true, "workSetting": "castle"}"#,
            Self.school("urn", "npq-headship", urn: "10010"),
            Self.school("unknown-urn", "npq-headship", urn: "999999"),
            Self.school("closed", "npq-headship", urn: "113003"),
            #"{"id": "no-institution", "cohort": "2026b", "course": "npq-headship", "worksInEngland": true, "workSetting": "an_academy_trust"}"#,
            #"{"id": "cohort", "cohort": "2027a", "course": "npq-headship", "worksInEngland": true, "workSetting": "a_school"}"#,
            Self.school("course", "npq-leading-maths", urn: "100101"),
            #"{"id": "ehco", "cohort": "2026b", "course": "npq-early-headship-coaching-offer", "worksInEngland": true, "workSetting": "a_school"}"#,
            Self.school("type", "npq-headship", urn: "100101", #", "previouslyFunded": "no""#),
            Self.school("last", "npq-headship", urn: "100101"),
        ])
        #expect(run.status == 1)
        let lines = try Self.decode(run)
        #expect(
            lines.map(\.id) == [
                "ok", nil, nil, "typo", "setting", "urn", "unknown-urn", "closed", "no-institution", "cohort", "course",
                "ehco", "type", "last",
            ])
        let errors = lines.map { $0.error ?? "" }
        #expect(lines[0].status == "funded")
        #expect(errors[1].hasPrefix("line 2: the line is not valid JSON"))
        // Line 3 is empty and skipped; line numbers still count it.
        #expect(errors[2] == "line 4: id: missing")
        #expect(errors[3].hasPrefix("line 5: workSeting: not a field of an application"))
        #expect(errors[4].hasPrefix("line 6: workSetting: \"castle\" is not allowed; use one of a_school"))
        #expect(errors[5] == "line 7: institution.urn: \"10010\" is not valid: a URN is 6 digits, e.g. 100000")
        #expect(errors[6].hasPrefix("line 8: institution.urn: 999999 is not in the schools file"))
        #expect(errors[7].hasPrefix("line 9: institution.urn: the school 113003 is closed"))
        #expect(errors[8].hasPrefix("line 10: institution: missing: a school, academy trust or 16 to 19 setting"))
        #expect(errors[9].hasPrefix("line 11: cohort: \"2027a\" is not a cohort of the cohort reference files"))
        #expect(errors[10].hasPrefix("line 12: course: npq-leading-maths is not a course of policy version 2026"))
        #expect(errors[11].hasPrefix("line 13: headteacherStatus: missing"))
        #expect(errors[12].hasPrefix("line 14: previouslyFunded: must be true or false"))
        #expect(lines[13].status == "funded")
        for line in lines[1...12] { #expect(line.status == nil) }
    }

    @Test("establishmentTypeCode on the line wins over the schools file; a URN the file lacks may give one")
    func typeCodeWins() async throws {
        let run = try await Self.assess([
            // Ashcombe Primary is type 1 in the file; the line says 11 (independent).
            Self.school("line-type", "npq-headship", urn: "100101", "").replacingOccurrences(
                of: #""urn": "100101"}"#, with: #""urn": "100101", "establishmentTypeCode": 11}"#),
            Self.school("string-type", "npq-headship", urn: "999999").replacingOccurrences(
                of: #""urn": "999999"}"#, with: #""urn": "999999", "establishmentTypeCode": "34"}"#),
            Self.school("bad-type", "npq-headship", urn: "999999").replacingOccurrences(
                of: #""urn": "999999"}"#, with: #""urn": "999999", "establishmentTypeCode": "academy"}"#),
        ])
        #expect(run.status == 1)
        let lines = try Self.decode(run)
        #expect(lines[0].status == "ineligible_establishment_type")
        #expect(lines[1].status == "funded")
        #expect(
            lines[2].error?.hasPrefix("line 3: institution.establishmentTypeCode: \"academy\" is not a GIAS") == true)
    }

    @Test("A 16 to 19 setting named by UKPRN alone is found in the schools file and on the PP50 FE list")
    func ukprnOnly() async throws {
        let run = try await Self.assess([
            #"{"id": "fe", "cohort": "2026b", "course": "npq-leading-literacy", "worksInEngland": true, "workSetting": "a_16_to_19_educational_setting", "institution": {"ukprn": "10003001"}}"#,
            #"{"id": "sixth", "cohort": "2026b", "course": "npq-leading-literacy", "worksInEngland": true, "workSetting": "a_16_to_19_educational_setting", "institution": {"ukprn": "10003002"}}"#,
        ])
        #expect(run.status == 0)
        #expect(try Self.decode(run).map(\.status) == ["funded", "ineligible_establishment_not_a_pp50"])
    }

    @Test("The funding mode comes from the cohort reference files: 2026a is unfunded, 2023a fully funded")
    func fundingModeByCohort() async throws {
        let run = try await Self.assess([
            Self.school("zero", "npq-headship", urn: "100101").replacingOccurrences(of: "2026b", with: "2026a"),
            Self.school("full", "npq-leading-teaching", urn: "107202").replacingOccurrences(of: "2026b", with: "2023a"),
            Self.school("capped", "npq-senior-leadership", urn: "107202").replacingOccurrences(
                of: "2026b", with: "2025a"),
        ])
        #expect(run.status == 0)
        let lines = try Self.decode(run)
        #expect(lines.map(\.status) == ["unfunded_cohort", "funded", "ineligible_establishment_not_a_pp50"])
        #expect(lines[1].explanation?.contains("lead provider") == false)
    }

    @Test("--lists, --schools and --policy read other files")
    func otherFiles() async throws {
        let directory = try Self.listsDirectory([
            // Brook Meadow joins the RISE list; Ashcombe becomes an independent school; NPQLT becomes universal.
            "rise-schools.csv": "Region,RISE School URN\r\nYorkshire,107202\r\n",
            "schools.csv": "URN,EstablishmentName,TypeOfEstablishment (code),EstablishmentStatus (code)\n"
                + "100101,Ashcombe,11,1\n107202,Brook Meadow,7,1\n",
        ])
        let universal2026 = #""npq-senco", "npq-headship", "npq-senior-leadership", "npq-early-years-leadership""#
        let policy = try String(contentsOf: directory.appendingPathComponent("policy.json"), encoding: .utf8)
            .replacingOccurrences(
                of: "\"universalCourses\": [\(universal2026)]",
                with: "\"universalCourses\": [\(universal2026), \"npq-leading-teaching\"]"
            ).replacingOccurrences(
                of: #""targetedCourses": ["npq-leading-teaching", "npq-leading-teaching-development""#,
                with: #""targetedCourses": ["npq-leading-teaching-development""#)
        try Data(policy.utf8).write(to: directory.appendingPathComponent("policy.json"))
        let lines = [
            Self.school("rise", "npq-leading-literacy", urn: "107202"),
            Self.school("independent", "npq-headship", urn: "100101"),
            Self.school("universal", "npq-leading-teaching", urn: "999999").replacingOccurrences(
                of: #""urn": "999999"}"#, with: #""urn": "999999", "establishmentTypeCode": 1}"#),
        ]
        let run = try await Self.assess(
            lines,
            options: [
                "--lists", directory.path, "--schools", directory.appendingPathComponent("schools.csv").path,
                "--policy", directory.appendingPathComponent("policy.json").path,
            ])
        #expect(run.status == 0, "\(run.error)")
        #expect(try Self.decode(run).map(\.status) == ["funded", "ineligible_establishment_type", "funded"])

        let shipped = try await Self.assess(lines)
        #expect(
            try Self.decode(shipped).map(\.status) == [
                "ineligible_establishment_not_a_pp50", "funded", "ineligible_establishment_not_a_pp50",
            ])
    }

    @Test("An unreadable or broken reference file stops the run with status 2, naming the file and the fix")
    func brokenReferences() async throws {
        let line = [Self.school("x", "npq-headship", urn: "100101")]
        let missingList = try Self.listsDirectory(["childminders.csv": ""])
        let noList = try await Self.assess(line, options: ["--lists", missingList.path])
        #expect(noList.status == 2)
        #expect(noList.output.isEmpty)
        #expect(noList.error.contains("childminders.csv"))
        #expect(noList.error.contains("--lists"))

        let badList = try Self.listsDirectory(["pp50-schools.csv": "PP50 School URN\n100001\n12345\n"])
        let bad = try await Self.assess(line, options: ["--lists", badList.path])
        #expect(bad.status == 2)
        #expect(bad.error.contains("pp50-schools.csv: line 3: PP50 School URN: \"12345\" is not an identifier"))

        let wrongColumn = try Self.listsDirectory(["pp50-fe.csv": "UKPRN\n10000001\n"])
        let column = try await Self.assess(line, options: ["--lists", wrongColumn.path])
        #expect(column.status == 2)
        #expect(column.error.contains("no column \"FE UKPRN\""))
        #expect(column.error.contains("\"UKPRN\""))

        let brokenPolicy = try Self.listsDirectory(["policy.json": #"{"versions": [{"version": "x"}]}"#])
        let policy = try await Self.assess(
            line, options: ["--policy", brokenPolicy.appendingPathComponent("policy.json").path])
        #expect(policy.status == 2)
        #expect(policy.error.contains("policy.json: versions[0] (x).cohorts: missing"))

        let schools = try await Self.assess(line, options: ["--schools", "/nonexistent/schools.csv"])
        #expect(schools.status == 2)
        #expect(schools.error.contains("--schools"))
    }

    @Test("Reference paths given as options work from any directory; the defaults are relative to it")
    func fromAnotherDirectory() async throws {
        let repository = ExecutableRun.repository
        let elsewhere = FileManager.default.temporaryDirectory
        let line = [Self.school("x", "npq-headship", urn: "100101")]
        let run = try await Self.assess(
            line,
            options: [
                "--lists", repository.appendingPathComponent("reference/eligibility").path, "--schools",
                repository.appendingPathComponent("reference/eligibility/schools.csv").path, "--policy",
                repository.appendingPathComponent("reference/eligibility/policy.json").path, "--cohorts-reference",
                repository.appendingPathComponent("reference/cohorts").path,
            ], in: elsewhere)
        #expect(run.status == 0)
        #expect(try Self.decode(run).first?.status == "funded")
        let defaults = try await Self.assess(line, in: elsewhere)
        #expect(defaults.status == 2)
        #expect(defaults.error.contains("--cohorts-reference"))
    }

    @Test("Thousands of lines come back one for one, in input order")
    func manyLines() async throws {
        let courses = ["npq-headship", "npq-leading-teaching", "npq-senior-leadership", "npq-leading-literacy"]
        let urns = ["100101", "107202", "120001", "112002"]
        let lines = (0..<5000).map { Self.school("n\($0)", courses[$0 % 4], urn: urns[($0 / 4) % 4]) }
        let run = try await Self.assess(lines)
        #expect(run.status == 0)
        let decoded = try Self.decode(run)
        #expect(decoded.map(\.id) == (0..<5000).map { "n\($0)" })
        #expect(decoded.allSatisfy { $0.status != nil })
    }
}
