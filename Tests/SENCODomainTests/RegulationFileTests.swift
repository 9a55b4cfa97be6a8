import Foundation
import MessageContracts
import SENCODomain
import Testing

@Suite("Regulatory parameters file")
struct RegulationFileTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference/senco/regulation.json")

    @Test("The shipped file loads, with the values of regulation 49 as amended by SI 2024/535")
    func shippedFile() throws {
        let set = try RegulatoryParameterSet.parse(try Data(contentsOf: Self.file))
        let p = set.inForce(on: CalendarDate("2026-11-22")!)
        #expect(p.version == "SI-2024-535")
        #expect(p.scopeStart == CalendarDate("2009-09-01"))
        #expect(p.maxPriorServiceMonths == 12)
        #expect(p.deadlineYears == 3)
        #expect(p.monthsToOutcome == 22)
        #expect(p.nasenco?.completedBefore == CalendarDate("2027-09-01"))
    }

    @Test("A broken file names the file and the field")
    func brokenFile() throws {
        let error = #expect(throws: ReferenceFileError.self) {
            try RegulatoryParameterSet.parse(Data(#"{"versions": [{"version": "x"}]}"#.utf8))
        }
        #expect(error?.description.hasPrefix("regulation.json: versions[0].") == true)
    }
}
