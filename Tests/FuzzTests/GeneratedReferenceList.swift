import EligibilityDomain
import PropertyBased

/// A reference list file made up for a fuzz case, and what ``ReferenceList/parse(_:kind:file:)`` should make of it.
///
/// The file has blank rows anywhere, a header row with the identifier column (respelled) among other columns and
/// sometimes repeated later, or now and then without it; then data rows with an identifier cell (see
/// ``IdentifierCell``), other cells of any text, sometimes too few cells to reach the column, and repeated identifiers.
struct GeneratedReferenceList: Sendable, CustomStringConvertible {
    /// The role each row was made for.
    enum Row: Sendable {
        case blank([String])
        case header([String], column: Int?)
        case data([String], identifier: String?)

        var cells: [String] {
            switch self {
            case .blank(let cells), .header(let cells, _), .data(let cells, _): cells
            }
        }
    }

    var kind: ReferenceListKind
    var rows: [Row]
    var document: CSVDocument

    var description: String { "\(kind) list: \(document)" }

    /// What parsing should give: the distinct identifiers and the data row count, or an error's line and field.
    var expected: ExpectedImport<ReferenceList> {
        let lines = document.written().lines
        var column: Int?
        var identifiers: [String] = []
        for (index, row) in rows.enumerated() where !isBlankRow(row.cells) {
            switch row {
            case .blank:
                continue
            case .header(_, let found):
                guard let found else { return .error(line: lines[index], field: nil) }
                column = found
            case .data(_, let identifier):
                // A data row before any header cannot be generated: the header comes first.
                guard let identifier else { return .error(line: lines[index], field: kind.header) }
                identifiers.append(identifier)
            }
        }
        guard column != nil else { return .error(line: nil, field: nil) }
        return .parsed(ReferenceList(kind, identifiers: identifiers, rowCount: identifiers.count))
    }

    /// Files of every list kind.
    static var files: Generator<GeneratedReferenceList, Shrink.None<GeneratedReferenceList>> {
        let cell = CSVGenerators.cell
        return Generator { rng in
            let kind = ReferenceListKind.allCases.randomElement(using: &rng)!
            let otherNames = ["School name", "LA", "Notes", "URN", "", "Name, town", "\"quoted\""]
            var header = (0..<Int.random(in: 0...3, using: &rng)).map { _ in otherNames.randomElement(using: &rng)! }
            let hasColumn = Int.random(in: 0..<10, using: &rng) != 0
            let column = Int.random(in: 0...header.count, using: &rng)
            if hasColumn {
                header.insert(respelledHeader(kind.header, using: &rng), at: column)
                if Int.random(in: 0..<5, using: &rng) == 0 { header.append(kind.header) }
            } else {
                // Still a header row, not a blank one, so that it is the row readers take for the header.
                header = header.filter { !CSVDocument.trimmed($0).isEmpty }
                if header.isEmpty { header = [kind.header + " (old)"] }
            }

            func blank() -> Row {
                .blank(
                    (0..<Int.random(in: 1...3, using: &rng)).map { _ in ["", " ", "\t"].randomElement(using: &rng)! })
            }
            var rows: [Row] = (0..<Int.random(in: 0...2, using: &rng)).map { _ in blank() }
            rows.append(.header(header, column: hasColumn ? column : nil))
            var earlier: [IdentifierCell] = []
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    rows.append(blank())
                    continue
                }
                let identifier =
                    !earlier.isEmpty && Int.random(in: 0..<5, using: &rng) == 0
                    ? earlier.randomElement(using: &rng)! : IdentifierCell.random(kind.format, using: &rng)
                earlier.append(identifier)
                var cells = header.indices.map { _ in cell.run(using: &rng) }
                guard hasColumn else {
                    rows.append(.data(cells, identifier: nil))
                    continue
                }
                if Int.random(in: 0..<12, using: &rng) == 0 {
                    // A short row: the identifier column is missing, so its text is empty.
                    cells = Array(cells.prefix(column))
                    rows.append(.data(cells, identifier: nil))
                    continue
                }
                cells[column] = identifier.text
                rows.append(.data(cells, identifier: identifier.normalised))
            }
            let document = CSVGenerators.document(rows: rows.map(\.cells), using: &rng)
            return GeneratedReferenceList(kind: kind, rows: rows, document: document)
        }
    }
}
