import Foundation
import NPQTestSupport
import Testing

/// `npq senco evaluate`, run as a child process against the shipped reference files.
@Suite("npq senco evaluate")
struct SENCOEvaluateTests {
    /// One output line: a result or an error.
    struct OutputLine: Decodable {
        var id: String?
        var inScope: Bool?
        var status: String?
        var deadline: String?
        var alternativeDeadline: String?
        var flags: [String]?
        var expectedOutcome: String?
        var recommendedCohort: String?
        var lastSafeCohort: String?
        var reason: String?
        var error: String?
    }

    static func decode(_ run: ExecutableRun) throws -> [OutputLine] {
        try run.lines.map { try JSONDecoder().decode(OutputLine.self, from: Data($0.utf8)) }
    }

    static func evaluate(_ cases: [String], on day: String = "2025-09-15") async throws -> ExecutableRun {
        try await ExecutableRun("npq", ["senco", "evaluate", "--on", day], input: cases.joined(separator: "\n") + "\n")
    }

    @Test("Worked examples, one per line, come back in order")
    func workedExamples() async throws {
        let run = try await Self.evaluate([
            #"{"id": "leap", "schoolType": "mainstream", "appointedOn": "2024-02-29"}"#,
            #"{"id": "september", "schoolType": "mainstream", "appointedOn": "2025-09-01"}"#,
            #"{"id": "special", "schoolType": "special", "appointedOn": "2025-09-01"}"#,
            #"{"id": "prior", "schoolType": "mainstream", "appointedOn": "2025-09-01", "priorSpells": [{"from": "2019-09-01", "to": "2021-08-31"}]}"#,
            #"{"id": "passed", "schoolType": "maintained_nursery", "appointedOn": "2024-09-02", "qualifications": [{"award": "npq-senco", "startedOn": "2024-11-25", "outcome": "passed", "outcomeOn": "2025-07-10"}]}"#,
        ])
        #expect(run.status == 0)
        #expect(run.error.isEmpty)
        let lines = try Self.decode(run)
        #expect(lines.map(\.id) == ["leap", "september", "special", "prior", "passed"])
        #expect(lines.allSatisfy { $0.error == nil })

        // 29 February: the third anniversary is 28 February 2027; 1 March is the other reading.
        let leap = lines[0]
        #expect(leap.inScope == true)
        #expect(leap.deadline == "2027-02-28")
        #expect(leap.alternativeDeadline == "2027-03-01")
        #expect(leap.flags?.contains("leap_day_ambiguity") == true)

        // Appointed 1 Sep 2025, deadline 1 Sep 2028; with 22 months to the outcome a cohort must start by
        // 1 Nov 2026, so 2026b (16 Nov 2026) is too late. On 15 Sep 2025 the first leadership cohort still open is
        // 2025a (closes 10 Oct 2025, starts 17 Nov 2025): recommended. The last cohort whose outcome plus a
        // 6-month resit is by the deadline (start by 1 May 2026) is 2026a (starts 2 Mar 2026): last safe.
        let september = lines[1]
        #expect(september.status == "not_enrolled")
        #expect(september.deadline == "2028-09-01")
        #expect(september.alternativeDeadline == nil)
        #expect(september.recommendedCohort == "2025a")
        #expect(september.lastSafeCohort == "2026a")
        #expect(september.flags == [])

        #expect(lines[2].status == "out_of_scope_school_type")
        #expect(lines[2].inScope == false)
        #expect(lines[2].deadline == nil)

        // Two years of earlier service: more than 12 months, so the duty does not apply.
        #expect(lines[3].status == "exempt_prior_service")
        #expect(lines[3].inScope == false)

        #expect(lines[4].status == "qualified")
        #expect(lines[4].reason?.contains("2025-07-10") == true)
    }

    @Test("Results have every key, sorted, with null for absent values")
    func keysAndNulls() async throws {
        let run = try await Self.evaluate([#"{"id": "special", "schoolType": "special", "appointedOn": "2025-09-01"}"#])
        #expect(run.status == 0)
        #expect(run.lines.count == 1)
        #expect(
            run.lines.first?.hasPrefix(
                #"{"alternativeDeadline":null,"deadline":null,"expectedOutcome":null,"flags":[],"id":"special","inScope":false,"lastSafeCohort":null,"reason":""#
            ) == true)
        #expect(run.lines.first?.hasSuffix(#","recommendedCohort":null,"status":"out_of_scope_school_type"}"#) == true)
    }

    @Test("A bad line gives an error line naming line and field, the run goes on, and the exit status is 1")
    func badLines() async throws {
        let run = try await Self.evaluate([
            #"{"id": "a", "schoolType": "mainstream", "appointedOn": "2025-09-01"}"#,
            #"{"id": "castle", "schoolType": "castle", "appointedOn": "2025-09-01"}"#,
            #"{"id": "feb30", "schoolType": "mainstream", "appointedOn": "2024-02-30"}"#,
            "",
            #"{"id": "broken", "#,
            #"{"schoolType": "mainstream", "appointedOn": "2025-09-01"}"#,
            #"{"id": "spell", "schoolType": "mainstream", "appointedOn": "2025-09-01", "priorSpells": [{"from": "2020-01-01", "to": "2019-01-01"}]}"#,
            #"{"id": "typo", "schoolType": "mainstream", "appointedon": "2025-09-01"}"#,
            #"{"id": "b", "schoolType": "mainstream", "appointedOn": "2024-02-29"}"#,
        ])
        #expect(run.status == 1)
        let lines = try Self.decode(run)
        #expect(lines.map(\.id) == ["a", "castle", "feb30", nil, nil, "spell", "typo", "b"])
        #expect(lines[0].status == "not_enrolled")
        #expect(lines[1].error?.hasPrefix("line 2: schoolType: \"castle\" is not allowed") == true)
        #expect(lines[2].error?.hasPrefix("line 3: appointedOn: \"2024-02-30\" is not a real date") == true)
        // Line 4 is empty and skipped; line numbers still count it.
        #expect(lines[3].error?.hasPrefix("line 5: ") == true)
        #expect(lines[4].error == "line 6: id: missing")
        #expect(lines[5].error?.hasPrefix("line 7: priorSpells[0].to: ") == true)
        #expect(lines[6].error?.hasPrefix("line 8: appointedon: not a field") == true)
        #expect(lines[7].error == nil)
        #expect(lines[7].deadline == "2027-02-28")
        for line in lines[1...6] { #expect(line.status == nil) }
    }

    @Test("Month precision: YYYY-MM is read as the 1st and flagged; without datePrecision it is an error")
    func monthPrecision() async throws {
        let run = try await Self.evaluate([
            #"{"id": "m", "schoolType": "mainstream", "appointedOn": "2025-09", "datePrecision": "month"}"#,
            #"{"id": "d", "schoolType": "mainstream", "appointedOn": "2025-09"}"#,
        ])
        #expect(run.status == 1)
        let lines = try Self.decode(run)
        #expect(lines.count == 2)
        #expect(lines[0].deadline == "2028-09-01")
        #expect(lines[0].flags == ["date_precision_month"])
        #expect(lines[1].error?.hasPrefix("line 2: appointedOn: \"2025-09\" gives only the month") == true)
    }

    @Test("An enrolment gives the expected outcome and the enrolled status")
    func enrolment() async throws {
        let run = try await Self.evaluate([
            #"{"id": "e", "schoolType": "mainstream", "appointedOn": "2025-09-01", "enrolment": {"cohort": "2025a", "courseStart": "2025-11-17"}}"#
        ])
        #expect(run.status == 0)
        let line = try #require(try Self.decode(run).first)
        #expect(line.status == "enrolled")
        #expect(line.expectedOutcome == "2027-09-17")
    }

    @Test("Reference paths given as options work from any directory; unreadable ones stop the run with status 2")
    func referenceOptions() async throws {
        let elsewhere = FileManager.default.temporaryDirectory
        let input = #"{"id": "x", "schoolType": "mainstream", "appointedOn": "2025-09-01"}"# + "\n"
        let run = try await ExecutableRun(
            "npq",
            [
                "senco", "evaluate", "--on", "2025-09-15", "--cohorts-reference",
                ExecutableRun.repository.appendingPathComponent("reference/cohorts").path, "--regulation",
                ExecutableRun.repository.appendingPathComponent("reference/senco/regulation.json").path,
            ], input: input, in: elsewhere)
        #expect(run.status == 0)
        #expect(try Self.decode(run).first?.recommendedCohort == "2025a")

        let missing = try await ExecutableRun(
            "npq", ["senco", "evaluate", "--on", "2025-09-15"], input: input, in: elsewhere)
        #expect(missing.status == 2)
        #expect(missing.output.isEmpty)
        #expect(missing.error.contains("--cohorts-reference"))
    }

    @Test("Without --on, today's date is used")
    func today() async throws {
        let run = try await ExecutableRun(
            "npq",
            ["senco", "evaluate"], input: #"{"id": "t", "schoolType": "special", "appointedOn": "2025-09-01"}"#)
        #expect(run.status == 0)
        #expect(try Self.decode(run).first?.status == "out_of_scope_school_type")
    }
}
