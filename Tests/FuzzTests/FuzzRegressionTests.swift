import Foundation
import MessageContracts
import Testing

@testable import EligibilityDomain

/// The inputs the fuzzers found that broke a property, exactly as they were found (after shrinking), kept so the fixes
/// stay fixed whatever the seed.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// An `npq.application.rejected.v1` body with `rejectedAt` as given.
    static func rejectedBody(_ rejectedAt: String) -> Data {
        Data(
            ("{\"applicationID\":\"5F0C7D2E-8A41-4C3B-9E6F-2D7A1B9C4E80\","
                + "\"cause\":\"other_application_in_this_cohort_accepted\",\"cohort\":\"2026b\",\"course\":\"npq-e\","
                + "\"leadProvider\":\"t\",\"rejectedAt\":\"\(rejectedAt)\"}").utf8)
    }

    @Test(
        "An instant an offset carries outside years 0001 to 9999 in UTC is refused, not republished as another instant",
        arguments: [
            // Found as "0001-01-01T00:30:00+01:52" re-encoding as "0001-01-01T22:38:00.000Z" and
            // "9999-12-31T23:11:59.9-16:38" as "9999-12-31T15:49:59.900Z": the encoder clamped the day.
            "0001-01-01T00:30:00+01:52", "9999-12-31T23:11:59.9-16:38", "9999-12-31T23:59:59.9996Z",
        ])
    func instantOutsideWritableYears(rejectedAt: String) {
        #expect(RFC3339.parse(rejectedAt) == nil)
        #expect(throws: ContractViolation.self) {
            try ContractDecoder.decode(ApplicationRejected.self, from: Self.rejectedBody(rejectedAt))
        }
        do {
            _ = try ContractDecoder.decode(ApplicationRejected.self, from: Self.rejectedBody(rejectedAt))
        } catch {
            #expect(error.reason == .invalidFields)
            #expect(error.fieldErrors.map(\.field) == ["rejectedAt"])
            #expect(error.fieldErrors.map(\.rule) == ["format"])
        }
    }

    @Test(
        "The first and last instants the encoder can write still parse and format back unchanged",
        arguments: ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"])
    func writableYearEdges(text: String) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(RFC3339.format(date) == text)
    }

    @Test("A timestamp finer than a millisecond decodes to the value it re-encodes to")
    func subMillisecondTimestampRoundTrips() throws {
        // Found as "1970-05-20T23:50:00.2991+02:30" re-encoding as "1970-05-20T21:20:00.299Z", which decoded to
        // another `Date`: the decoder kept the fourth digit that the encoder drops.
        let message = try ContractDecoder.decode(
            ApplicationRejected.self, from: Self.rejectedBody("1970-05-20T23:50:00.2991+02:30"))
        #expect(message.rejectedAt == RFC3339.parse("1970-05-20T21:20:00.299Z"))
        let again = try ContractDecoder.decode(ApplicationRejected.self, from: ContractEncoder.encode(message))
        #expect(again == message)
    }

    @Test("A doubled quote followed by a combining mark in a quoted CSV field reads as one quote")
    func doubledQuoteBeforeCombiningMark() throws {
        // Found as the cell `""\u{301},` reading back as `"""\u{301},`: the quotes were undone on characters, and a
        // quote followed by a combining mark is one character that is not a quote.
        let reader = CSVReader(Data("\"\"\"\"\"\u{301},\"\n".utf8), file: "table.csv", code: .referenceList)
        var cells: [String] = []
        try reader.forEachRecord { record in cells += record.fields.map(reader.text) }
        #expect(cells == ["\"\"\u{301},"])

        let extract =
            "URN,EstablishmentName,TypeOfEstablishment (code),EstablishmentStatus (code)\n"
            + "100001,\"Quote \"\"\u{301} mark\",1,1\n"
        let rows = try SchoolRegister.rows(Data(extract.utf8), file: "schools.csv")
        #expect(rows.map(\.school.name) == ["Quote \"\u{301} mark"])
    }
}
