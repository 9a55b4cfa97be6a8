import EligibilityDomain
import PropertyBased

/// A GIAS extract made up for a fuzz case, and what ``SchoolRegister/rows(_:file:)`` should make of it.
///
/// The header has the columns the reader uses (respelled, in any order, optional ones sometimes absent, a required one
/// now and then missing) among GIAS columns it ignores; data rows carry a URN that is valid, repeated, malformed or
/// empty, a UKPRN that is absent, valid or malformed, type and status codes in and out of range, and any text
/// elsewhere.
struct GeneratedSchoolRegister: Sendable, CustomStringConvertible {
    /// The columns the reader uses, by header.
    static let used = [
        "URN", "UKPRN", "EstablishmentName", "TypeOfEstablishment (code)", "EstablishmentStatus (code)", "LA (code)",
        "Postcode",
    ]
    static let required: Set = ["URN", "TypeOfEstablishment (code)", "EstablishmentStatus (code)"]

    /// One data row as generated: each used column's cell, and whether the cell is valid for its column.
    struct DataRow: Sendable {
        var urn: IdentifierCell
        var ukprn: IdentifierCell?
        var name: String
        var type: (text: String, code: Int?)
        var status: (text: String, status: EstablishmentStatus?)
        var localAuthority: String
        var postcode: String
    }

    /// The role each row was made for.
    enum Row: Sendable {
        case blank([String])
        case header([String], missing: Bool)
        case data([String], DataRow)

        var cells: [String] {
            switch self {
            case .blank(let cells), .header(let cells, _), .data(let cells, _): cells
            }
        }
    }

    var rows: [Row]
    var document: CSVDocument

    var description: String { document.description }

    /// What reading should give: each school with its line, or an error's line and field, checking a row's cells in
    /// the documented order (URN empty, malformed, repeated; UKPRN; type code; status code).
    var expected: ExpectedImport<[SchoolRegister.Row]> {
        let lines = document.written().lines
        var header = false
        var parsed: [SchoolRegister.Row] = []
        var seen: Set<String> = []
        for (index, row) in rows.enumerated() where !isBlankRow(row.cells) {
            let line = lines[index]
            switch row {
            case .blank:
                continue
            case .header(_, let missing):
                if missing { return .error(line: line, field: nil) }
                header = true
            case .data(_, let data):
                guard let urn = data.urn.normalised, !seen.contains(urn) else {
                    return .error(line: line, field: "URN")
                }
                seen.insert(urn)
                if let ukprn = data.ukprn, ukprn.normalised == nil, !CSVDocument.trimmed(ukprn.text).isEmpty {
                    return .error(line: line, field: "UKPRN")
                }
                guard let code = data.type.code else { return .error(line: line, field: "TypeOfEstablishment (code)") }
                guard let status = data.status.status else {
                    return .error(line: line, field: "EstablishmentStatus (code)")
                }
                let school = SchoolRecord(
                    urn: urn, ukprn: data.ukprn?.normalised, name: CSVDocument.trimmed(data.name),
                    establishmentTypeCode: code, status: status,
                    localAuthorityCode: Self.present(data.localAuthority), postcode: Self.present(data.postcode))
                parsed.append(SchoolRegister.Row(school, line: line))
            }
        }
        return header ? .parsed(parsed) : .error(line: nil, field: nil)
    }

    private static func present(_ cell: String) -> String? {
        let text = CSVDocument.trimmed(cell)
        return text.isEmpty ? nil : text
    }

    /// Extracts of up to ten establishments.
    static var files: Generator<GeneratedSchoolRegister, Shrink.None<GeneratedSchoolRegister>> {
        let cell = CSVGenerators.cell
        return Generator { rng in
            var columns = used.filter { required.contains($0) || Bool.random(using: &rng) }
            let missing = Int.random(in: 0..<12, using: &rng) == 0
            if missing {
                let dropped = required.sorted().randomElement(using: &rng)!
                columns.removeAll { $0 == dropped }
            }
            columns += ["LA (name)", "Town", "OpenDate"].filter { _ in Bool.random(using: &rng) }
            columns.shuffle(using: &rng)
            let header = columns.map { respelledHeader($0, using: &rng) }

            var rows: [Row] = []
            if Bool.random(using: &rng) { rows.append(.blank([""])) }
            rows.append(.header(header, missing: missing))
            var urns: [IdentifierCell] = []
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                if Int.random(in: 0..<8, using: &rng) == 0 {
                    rows.append(.blank(columns.map { _ in "" }))
                    continue
                }
                let data = dataRow(repeating: urns, with: cell, using: &rng)
                urns.append(data.urn)
                let cells = columns.map { column in
                    switch column {
                    case "URN": data.urn.text
                    case "UKPRN": data.ukprn?.text ?? ""
                    case "EstablishmentName": data.name
                    case "TypeOfEstablishment (code)": data.type.text
                    case "EstablishmentStatus (code)": data.status.text
                    case "LA (code)": data.localAuthority
                    case "Postcode": data.postcode
                    default: cell.run(using: &rng)
                    }
                }
                // A column the header does not have cannot be read, so the model forgets its cell.
                var seen = data
                if !columns.contains("UKPRN") { seen.ukprn = nil }
                if !columns.contains("EstablishmentName") { seen.name = "" }
                if !columns.contains("LA (code)") { seen.localAuthority = "" }
                if !columns.contains("Postcode") { seen.postcode = "" }
                rows.append(.data(cells, seen))
            }
            let document = CSVGenerators.document(rows: rows.map(\.cells), using: &rng)
            return GeneratedSchoolRegister(rows: rows, document: document)
        }
    }

    private static func dataRow(
        repeating earlier: [IdentifierCell], with cell: Generator<String, Shrink.None<String>>,
        using rng: inout some SeededRandomNumberGenerator
    ) -> DataRow {
        let urn =
            !earlier.isEmpty && Int.random(in: 0..<8, using: &rng) == 0
            ? earlier.randomElement(using: &rng)! : IdentifierCell.random(.urn, using: &rng)
        let ukprn = Bool.random(using: &rng) ? IdentifierCell.random(.ukprn, using: &rng) : nil
        let types: [(String, Int?)] = [
            ("1", 1), ("15", 15), (" 28 ", 28), ("0", nil), ("-3", nil), ("x", nil), ("1.5", nil), ("", nil),
            ("99999999999999999999", nil),
        ]
        let statuses: [(String, EstablishmentStatus?)] = [
            ("1", .open), ("2", .closed), ("3", .openProposedToClose), ("4", .proposedToOpen), (" 1", .open),
            ("0", nil), ("5", nil), ("open", nil), ("", nil),
        ]
        let valid = Int.random(in: 0..<6, using: &rng) != 0
        let type = valid ? types[Int.random(in: 0..<3, using: &rng)] : types.randomElement(using: &rng)!
        let status = valid ? statuses[Int.random(in: 0..<5, using: &rng)] : statuses.randomElement(using: &rng)!
        return DataRow(
            urn: urn, ukprn: ukprn, name: cell.run(using: &rng), type: (type.0, type.1),
            status: (status.0, status.1), localAuthority: Bool.random(using: &rng) ? "202" : cell.run(using: &rng),
            postcode: cell.run(using: &rng))
    }
}
