import CohortsDomain
import Foundation
import MessageContracts
import Testing

@Suite("Cohort reference files")
struct CohortReferenceDataTests {
    /// `reference/cohorts` in the repository, found from this file.
    static let shippedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reference/cohorts")

    static func shippedFiles() -> [CohortReferenceData.File: Data] {
        var files: [CohortReferenceData.File: Data] = [:]
        for file in CohortReferenceData.File.allCases {
            files[file] = FileManager.default.contents(
                atPath: shippedDirectory.appendingPathComponent(file.rawValue).path)
        }
        return files
    }

    @Test("The shipped files load without problems: 12 courses, cohorts 2021a–2026b, published milestones")
    func shippedFilesLoad() throws {
        let data = try CohortReferenceData.parse(Self.shippedFiles())
        #expect(data.courses.count == 12)
        #expect(data.courses.filter(\.hidden).map(\.identifier) == ["npq-additional-support-offer"])
        #expect(data.cohorts.map(\.identifier) == ["2021a", "2022a", "2023a", "2024a", "2025a", "2026a", "2026b"])
        #expect(data.cohorts.first { $0.identifier == "2026a" }?.fundingMode == .zero)
        #expect(data.cohorts.first { $0.identifier == "2026b" }?.registrationOpens == date("2026-06-23"))
        let autumn2024 = try #require(
            data.schedules.first { $0.cohort == "2024a" && $0.identifier == "npq-leadership-autumn" })
        #expect(
            autumn2024.milestones == [
                Milestone(.started, date("2024-11-25")), Milestone(.retained1, date("2025-05-26")),
                Milestone(.retained2, date("2026-01-24")), Milestone(.completed, date("2026-07-25")),
            ])
        let spring2025 = try #require(
            data.schedules.first { $0.cohort == "2024a" && $0.identifier == "npq-specialist-spring" })
        #expect(spring2025.date(of: .completed) == date("2026-08-21"))
        #expect(!data.offerings.isEmpty)
    }

    static func files(cohorts: String) -> [CohortReferenceData.File: Data] {
        var files = shippedFiles()
        files[.cohorts] = Data(cohorts.utf8)
        return files
    }

    @Test("A bad entry is reported with its file, entry and field; every problem at once")
    func badEntries() throws {
        let text = """
            {"cohorts": [
              {"cohort": "2021a", "fundingMode": "full", "registrationOpens": "2021-06-01", "registrationCloses": "2021-10-31", "startDate": "2021-11-01"},
              {"cohort": "2022a", "fundingMode": "generous", "registrationOpens": "2022-02-30", "registrationCloses": "2022-10-31", "startDate": "2022-11-01", "colour": "red"}
            ]}
            """
        let error = #expect(throws: ReferenceDataError.self) {
            try CohortReferenceData.parse(Self.files(cohorts: text))
        }
        let problems = try #require(error?.problems)
        #expect(problems.allSatisfy { $0.file == "cohorts.json" && $0.entry == "entry 2 (2022a)" })
        #expect(Set(problems.compactMap(\.field)) == ["fundingMode", "registrationOpens", "colour"])
    }

    @Test("Cross-references are checked: a schedule or offering of a cohort that is not in the file")
    func crossReferences() throws {
        let text = """
            {"about": "only one cohort", "cohorts": [
              {"cohort": "2024a", "fundingMode": "capped", "registrationOpens": "2024-05-01", "registrationCloses": "2024-10-31", "startDate": "2024-11-25"}
            ]}
            """
        let error = #expect(throws: ReferenceDataError.self) {
            try CohortReferenceData.parse(Self.files(cohorts: text))
        }
        let problems = try #require(error?.problems)
        #expect(problems.contains { $0.file == "schedules.json" && $0.field == "cohort" })
        #expect(problems.contains { $0.file == "offerings.json" && $0.field == "cohort" })
        #expect(!problems.contains { $0.entry?.contains("2024a") == true })
    }

    @Test("A file that is not the expected shape, or duplicates an entry, says so")
    func shapeAndDuplicates() throws {
        let notJSON = #expect(throws: ReferenceDataError.self) {
            try CohortReferenceData.parse(Self.files(cohorts: "[1,"))
        }
        #expect(notJSON?.problems.first?.message.contains("not valid JSON") == true)
        let wrongShape = #expect(throws: ReferenceDataError.self) {
            try CohortReferenceData.parse(Self.files(cohorts: #"{"cohort": []}"#))
        }
        #expect(wrongShape?.problems.first?.message.contains("\"cohorts\"") == true)
        let entry =
            #"{"cohort": "2024a", "fundingMode": "capped", "registrationOpens": "2024-05-01", "registrationCloses": "2024-10-31", "startDate": "2024-11-25"}"#
        var files = Self.shippedFiles()
        let shipped = String(decoding: files[.cohorts]!, as: UTF8.self)
        files[.cohorts] = Data(shipped.replacingOccurrences(of: "\"cohorts\": [", with: "\"cohorts\": [\(entry),").utf8)
        let duplicate = #expect(throws: ReferenceDataError.self) { try CohortReferenceData.parse(files) }
        #expect(duplicate?.problems.map(\.message) == ["2024a is listed more than once"])
    }
}
