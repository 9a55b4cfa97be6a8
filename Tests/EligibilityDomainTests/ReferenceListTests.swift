import EligibilityDomain
import Foundation
import Testing

private typealias F = Fixtures

@Suite("Reference lists in DfE's CSV layout")
struct ReferenceListTests {
    static func parse(_ text: String, _ kind: ReferenceListKind = .pp50Schools) throws -> ReferenceList {
        try ReferenceList.parse(Data(text.utf8), kind: kind, file: "list.csv")
    }

    static func error(_ text: String, _ kind: ReferenceListKind = .pp50Schools) -> EligibilityError? {
        #expect(throws: EligibilityError.self) { try parse(text, kind) }
    }

    @Test("The identifier column is found by its header, wherever it is; other columns are ignored")
    func headerLookup() throws {
        let list = try Self.parse(
            "School name,LA,PP50 School URN,Notes\nAshcombe,Camden,100001,x\nBrook,Leeds,100002,\n")
        #expect(list.identifiers == ["100001", "100002"])
        #expect(list.count == 2)
        #expect(list.kind == .pp50Schools)
    }

    @Test("The header matches ignoring case and surrounding spaces")
    func headerCase() throws {
        #expect(try Self.parse(" pp50 school urn ,Name\n100001,A\n").contains("100001"))
    }

    @Test("A byte-order mark and CRLF line ends are tolerated")
    func bomAndCRLF() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("FE UKPRN,Provider\r\n10000001,Exe Valley College\r\n10000002,Tamar\r\n".utf8))
        let list = try ReferenceList.parse(data, kind: .pp50FurtherEducation, file: "fe.csv")
        #expect(list.identifiers == ["10000001", "10000002"])
    }

    @Test("Quoted fields: commas, doubled quotes and line breaks inside, and a quoted identifier")
    func quoted() throws {
        let text =
            "\"School name\",\"PP50 School URN\",\"Notes\"\n\"St Mary's, Ashford\",\"100001\",\"said \"\"yes\"\"\"\n"
            + "\"Two-line\nname\",100002,\n"
        let list = try Self.parse(text)
        #expect(list.identifiers == ["100001", "100002"])
    }

    @Test("Blank lines and rows of empty fields are skipped; a repeated identifier is kept once")
    func blanksAndDuplicates() throws {
        let list = try Self.parse("\n\nPP50 School URN,Name\n100001,A\n\n,\n100001,A again\n100003,C\n\n")
        #expect(list.identifiers == ["100001", "100003"])
        #expect(list.count == 2)
        #expect(list.rowCount == 3)
    }

    @Test("A missing column names the header expected and the headers found")
    func missingColumn() {
        let error = Self.error("School URN,Name\n100001,A\n")
        #expect(
            error?.description
                == "list.csv: line 1: no column \"PP50 School URN\" for the PP50 schools list; the header row has "
                + "\"School URN\", \"Name\"")
        #expect(error?.code == .referenceList)
    }

    @Test("A malformed identifier names its line, counting blank and quoted lines")
    func malformedIdentifier() {
        let error = Self.error("PP50 School URN,Name\n100001,A\n\n\"12345\",\"B\nB\"\n1000x1,C\n")
        #expect(error?.line == 4)
        #expect(
            error?.description
                == "list.csv: line 4: PP50 School URN: \"12345\" is not an identifier: a URN is 6 digits, e.g. 100000")
        let later = Self.error("PP50 School URN,Name\n100001,A\n\n\"100002\",\"B\nB\"\n1000x1,C\n")
        #expect(later?.line == 6)
    }

    @Test("An empty identifier in a row with other fields is refused with its line")
    func emptyIdentifier() {
        let error = Self.error("PP50 School URN,Name\n100001,A\n,B\n")
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("empty") == true)
    }

    @Test(
        "Identifier rules: URN 6 digits, UKPRN 8 digits, Ofsted URN two letters and 6 digits or 6 to 7 digits",
        arguments: [
            (IdentifierFormat.urn, "100001", "100001"), (.urn, " 100001 ", "100001"), (.urn, "10001", nil),
            (.urn, "1000011", nil), (.urn, "EY1234", nil), (.ukprn, "10000001", "10000001"), (.ukprn, "1000001", nil),
            (.ukprn, "100000011", nil), (.ofstedURN, "EY123456", "EY123456"), (.ofstedURN, "ey123456", "EY123456"),
            (.ofstedURN, "CA000006", "CA000006"), (.ofstedURN, "225540", "225540"), (.ofstedURN, "2512345", "2512345"),
            (.ofstedURN, "EY12345", nil), (.ofstedURN, "12345", nil), (.ofstedURN, "E1234567", nil),
            (.ofstedURN, "EYE123456", nil),
        ] as [(IdentifierFormat, String, String?)])
    func identifierRules(format: IdentifierFormat, text: String, normalised: String?) {
        #expect(format.normalise(text) == normalised)
    }

    @Test("Childminder URNs are Ofsted URNs, kept in upper case")
    func childminders() throws {
        let list = try Self.parse("Childminder URN\nEY248638\nca000006\n225540\n", .childminders)
        #expect(list.identifiers == ["EY248638", "CA000006", "225540"])
        #expect(list.contains("ey248638"))
        let error = Self.error("Childminder URN\nEY248638\nEY24863\n", .childminders)
        #expect(error?.line == 3)
        #expect(error?.message.contains("an Ofsted URN is two letters and 6 digits") == true)
    }

    @Test("A quoted field never closed, or text after a closing quote, is refused with its line")
    func malformedCSV() {
        let open = Self.error("PP50 School URN,Name\n100001,\"A\n100002,B\n")
        #expect(open?.line == 2)
        #expect(open?.message.contains("never closed") == true)
        let after = Self.error("PP50 School URN,Name\n\"100001\"x,A\n")
        #expect(after?.line == 2)
        #expect(after?.message.contains("after its closing quote") == true)
    }

    @Test("An empty file, or one of blank lines, is refused")
    func emptyFile() {
        #expect(
            Self.error("")?.description == "list.csv: the file is empty; it needs a header row with \"PP50 School URN\""
        )
        #expect(Self.error("\r\n\r\n")?.code == .referenceList)
    }

    @Test("A header with no rows is an empty list")
    func headerOnly() throws {
        let list = try Self.parse("PP50 School URN\n")
        #expect(list.count == 0)
    }

    @Test("The shipped sample lists load, and a missing one is named")
    func shippedLists() throws {
        var files: [ReferenceListKind: Data] = [:]
        for kind in ReferenceListKind.allCases { files[kind] = try Data(contentsOf: F.reference(kind.fileName)) }
        let lists = try EligibilityLists.parse(files, directory: "reference/eligibility")
        #expect(lists.pp50Schools.count == 6)
        #expect(lists.pp50FurtherEducation.count == 2)
        #expect(lists.riseSchools.count == 2)
        #expect(lists.childminders.count == 5)
        #expect(lists.laNurseries.count == 1)
        #expect(lists.disadvantagedEarlyYears.count == 2)
        files[.riseSchools] = nil
        let error = #expect(throws: EligibilityError.self) {
            try EligibilityLists.parse(files, directory: "reference/eligibility")
        }
        #expect(error?.file == "reference/eligibility/rise-schools.csv")
        #expect(error?.message.contains("RISE School URN") == true)
    }
}
