import Foundation

extension ReferenceList {
    /// Reads a list in DfE's CSV layout: a header row naming the identifier column (``ReferenceListKind/header``,
    /// matched ignoring case and surrounding spaces, anywhere in the row), then one identifier a row. Other columns
    /// are ignored; blank lines and rows of empty fields are skipped; a repeated identifier is kept once.
    ///
    /// - Parameters:
    ///   - data: the file's contents.
    ///   - kind: which list the file is.
    ///   - file: the file's name for error messages.
    /// - Throws: an ``EligibilityError`` naming the file: an empty file, a missing column (with the header expected
    ///   and the ones found), a malformed CSV line, or an identifier that is empty or malformed, with its line.
    public static func parse(
        _ data: Data, kind: ReferenceListKind, file: String
    ) throws(EligibilityError)
        -> ReferenceList
    {
        let reader = CSVReader(data, file: file, code: .referenceList)
        var column: Int?
        var identifiers: Set<String> = []
        var rows = 0
        try reader.forEachRecord { (record) throws(EligibilityError) in
            if reader.isBlank(record) { return }
            guard let index = column else {
                let header = record.fields.map(reader.text)
                guard let found = CSVReader.column(kind.header, in: header) else {
                    throw EligibilityError(
                        .referenceList, file: file, line: record.line,
                        "no column \"\(kind.header)\" for the \(kind.title) list; the header row has "
                            + CSVReader.describe(header))
                }
                column = found
                return
            }
            let text = reader.text(record, index)
            guard !text.isEmpty else {
                throw EligibilityError(
                    .referenceList, file: file, line: record.line, field: kind.header,
                    "empty; every row of the \(kind.title) list needs an identifier (\(kind.format.rule))")
            }
            guard let identifier = kind.format.normalise(text) else {
                throw EligibilityError(
                    .referenceList, file: file, line: record.line, field: kind.header,
                    "\"\(text)\" is not an identifier: \(kind.format.rule)")
            }
            identifiers.insert(identifier)
            rows += 1
        }
        guard column != nil else {
            throw EligibilityError(
                .referenceList, file: file, "the file is empty; it needs a header row with \"\(kind.header)\"")
        }
        var list = ReferenceList(kind)
        list.identifiers = identifiers
        list.rowCount = rows
        return list
    }
}
