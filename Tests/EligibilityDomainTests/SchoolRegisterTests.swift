import EligibilityDomain
import Foundation
import Testing

private typealias F = Fixtures

@Suite("The schools register in GIAS's CSV layout")
struct SchoolRegisterTests {
    static let header =
        "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (code),TypeOfEstablishment (name),"
        + "EstablishmentStatus (code),EstablishmentStatus (name),Postcode,UKPRN"

    static func parse(_ text: String) throws -> SchoolRegister {
        try SchoolRegister.parse(Data(text.utf8), file: "schools.csv")
    }

    static func error(_ text: String) -> EligibilityError? {
        #expect(throws: EligibilityError.self) { try parse(text) }
    }

    @Test("A GIAS row gives URN, UKPRN, name, type code, status, LA code and postcode")
    func record() throws {
        let register = try Self.parse(
            Self.header
                + "\n100001,202,Camden,\"Ashcombe Primary School, Camden\",1,Community school,1,Open,NW1 7AA,10000001\n"
        )
        let school = try #require(register.school(urn: "100001"))
        #expect(
            school
                == SchoolRecord(
                    urn: "100001", ukprn: "10000001", name: "Ashcombe Primary School, Camden", establishmentTypeCode: 1,
                    status: .open, localAuthorityCode: "202", postcode: "NW1 7AA"))
        #expect(register.school(ukprn: "10000001")?.urn == "100001")
        #expect(
            school.institution == EligibilityInstitution(urn: "100001", ukprn: "10000001", establishmentTypeCode: 1))
    }

    @Test(
        "Status codes: 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open; only closed is not open",
        arguments: [(1, true), (2, false), (3, true), (4, true)])
    func status(code: Int, open: Bool) throws {
        let register = try Self.parse(Self.header + "\n100001,202,Camden,A,1,x,\(code),x,NW1 7AA,\n")
        let school = try #require(register.school(urn: "100001"))
        #expect(school.status.rawValue == code)
        #expect(school.status.isOpen == open)
        #expect(school.institution.open == open)
        #expect(school.ukprn == nil)
    }

    @Test("Columns are found by header in any order; extra columns are ignored; only URN, type and status are required")
    func columnsByHeader() throws {
        let register = try Self.parse(
            "EstablishmentStatus (code),Extra,TypeOfEstablishment (code),URN\r\n1,x,15,100002\r\n\r\n2,y,18,100003\r\n")
        #expect(register.count == 2)
        #expect(register.school(urn: "100002")?.establishmentTypeCode == 15)
        #expect(register.school(urn: "100003")?.status == .closed)
        #expect(register.school(urn: "100003")?.name == "")
    }

    @Test("A missing column names the ones missing and the headers found")
    func missingColumns() {
        let error = Self.error("URN,EstablishmentName,Postcode\n100001,A,NW1\n")
        #expect(
            error?.description
                == "schools.csv: line 1: no column \"TypeOfEstablishment (code)\", \"EstablishmentStatus (code)\" "
                + "(GIAS's layout); the header row has \"URN\", \"EstablishmentName\", \"Postcode\"")
        #expect(error?.code == .schoolsRegister)
    }

    @Test(
        "A bad row names its line and column",
        arguments: [
            ("10001,202,Camden,A,1,x,1,x,NW1,", "line 2: URN: \"10001\" is not a URN"),
            (
                "100001,202,Camden,A,one,x,1,x,NW1,",
                "line 2: TypeOfEstablishment (code): \"one\" is not an establishment type code"
            ),
            ("100001,202,Camden,A,1,x,5,x,NW1,", "line 2: EstablishmentStatus (code): \"5\" is not a status code"),
            ("100001,202,Camden,A,1,x,1,x,NW1,1234", "line 2: UKPRN: \"1234\" is not a UKPRN"),
            ("100001,202,Camden,A,,x,1,x,NW1,", "line 2: TypeOfEstablishment (code): empty"),
            (",202,Camden,A,1,x,1,x,NW1,", "line 2: URN: empty"),
        ])
    func badRow(row: String, message: String) {
        let error = Self.error(Self.header + "\n" + row + "\n")
        #expect(error?.description.hasPrefix("schools.csv: " + message) == true, "\(error?.description ?? "")")
    }

    @Test("A URN listed twice is refused, naming both lines")
    func duplicateURN() {
        let error = Self.error(
            Self.header + "\n100001,202,C,A,1,x,1,x,N,\n100002,202,C,B,1,x,1,x,N,\n100001,202,C,A,1,x,2,x,N,\n")
        #expect(error?.description == "schools.csv: line 4: URN: 100001 is listed more than once (first on line 2)")
    }

    @Test("Windows-1252 text, as GIAS extracts are written, is decoded")
    func windows1252() throws {
        var data = Data((Self.header + "\n100001,202,Camden,").utf8)
        data.append(contentsOf: [
            0x45, 0x63, 0x6F, 0x6C, 0x65, 0x20, 0x53, 0x61, 0x69, 0x6E, 0x74, 0x2D, 0x4C, 0xE9, 0x6F, 0x6E,
        ])
        data.append(Data(",1,x,1,x,NW1,\n".utf8))
        let register = try SchoolRegister.parse(data, file: "schools.csv")
        #expect(register.school(urn: "100001")?.name == "Ecole Saint-Léon")
    }

    @Test("An empty file is refused")
    func empty() {
        #expect(Self.error("")?.message.hasPrefix("the file is empty") == true)
    }

    @Test("The shipped sample loads: 32 establishments of many types and every status")
    func shippedSample() throws {
        let register = try SchoolRegister.parse(try Data(contentsOf: F.reference("schools.csv")), file: "schools.csv")
        #expect(register.count == 32)
        #expect(Set(register.schools.values.map(\.status)) == Set(EstablishmentStatus.allCases))
        #expect(register.school(urn: "107203")?.establishmentTypeCode == 15)
        #expect(register.school(urn: "100103")?.name == "Holy Trinity Church of England Primary School, Kentish Town")
        #expect(register.school(ukprn: "10003001")?.urn == "113001")
        #expect(register.school(urn: "113003")?.status.isOpen == false)
    }
}
