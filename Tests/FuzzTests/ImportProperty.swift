import Foundation

@testable import EligibilityDomain

/// What the reference-file importers must do with any bytes, given a file's name: read them into a list or register
/// that keeps its own invariants, or throw an ``EligibilityError`` labelled with the file and the right code that
/// names a line of the file (only "the file is empty" names none, and then the file has no row but blank ones) and, if
/// a field, one of the columns the importer reads.
enum ImportProperty {
    /// Imports `bytes` as the shipped file `file` would be (`schools.csv` as the register, others as their list) and
    /// checks the outcome.
    static func verdict(file: String, bytes: [UInt8]) -> FuzzVerdict {
        let data = Data(bytes)
        if let kind = ReferenceListKind.allCases.first(where: { $0.fileName == file }) {
            do {
                return parsedList(try ReferenceList.parse(data, kind: kind, file: file), kind: kind)
            } catch {
                return refused(error, file: file, code: .referenceList, columns: [kind.header], bytes: bytes)
            }
        }
        do {
            return parsedRegister(try SchoolRegister.rows(data, file: file), bytes: bytes)
        } catch {
            return refused(
                error, file: file, code: .schoolsRegister, columns: SchoolRegister.Column.allCases.map(\.rawValue),
                bytes: bytes)
        }
    }

    private static func parsedList(_ list: ReferenceList, kind: ReferenceListKind) -> FuzzVerdict {
        var verdict = FuzzVerdict("parsed")
        verdict.require(list.kind == kind, "read as the \(list.kind) list")
        for identifier in list.identifiers {
            verdict.require(
                kind.format.normalise(identifier) == identifier, "kept a malformed identifier \(identifier)")
        }
        verdict.require(list.rowCount >= list.count, "\(list.rowCount) rows but \(list.count) identifiers")
        return verdict
    }

    private static func parsedRegister(_ rows: [SchoolRegister.Row], bytes: [UInt8]) -> FuzzVerdict {
        var verdict = FuzzVerdict("parsed")
        let lastLine = lineCount(bytes)
        verdict.require(
            zip(rows, rows.dropFirst()).allSatisfy { $0.line < $1.line }, "rows out of order: \(rows.map(\.line))")
        verdict.require(rows.allSatisfy { (1...lastLine).contains($0.line) }, "a row beyond line \(lastLine)")
        let urns = rows.map(\.school.urn)
        verdict.require(Set(urns).count == urns.count, "a URN kept twice: \(urns)")
        for school in rows.map(\.school) {
            verdict.require(IdentifierFormat.urn.normalise(school.urn) == school.urn, "malformed URN \(school.urn)")
            verdict.require(
                school.ukprn.map { IdentifierFormat.ukprn.normalise($0) == $0 } ?? true, "malformed UKPRN \(school)")
            verdict.require(school.establishmentTypeCode > 0, "type code \(school.establishmentTypeCode)")
        }
        return verdict
    }

    private static func refused(
        _ error: EligibilityError, file: String, code: EligibilityError.Code, columns: [String], bytes: [UInt8]
    ) -> FuzzVerdict {
        var verdict = FuzzVerdict(error.line == nil ? "error/file" : "error/line")
        verdict.require(error.file == file, "the error names \(error.file ?? "no file"), not \(file): \(error)")
        verdict.require(error.code == code, "the error's code is \(error.code): \(error)")
        verdict.require(!error.message.isEmpty, "the error has no message")
        if let line = error.line {
            let lastLine = lineCount(bytes)
            verdict.require((1...lastLine).contains(line), "line \(line) of a \(lastLine)-line file: \(error)")
        } else {
            verdict.require(
                hasOnlyBlankRecords(bytes), "an error without a line for a file with rows that are not blank: \(error)")
        }
        if let field = error.field {
            verdict.require(columns.contains(field), "the field \(field) is not a column the importer reads: \(error)")
        }
        return verdict
    }

    /// The number of the file's last line: one more than its line ends (CRLF, LF or a lone CR).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        1 + CSVDocument.lineBreaks(in: bytes)
    }

    /// Whether the file reads without a syntax error into blank records only.
    private static func hasOnlyBlankRecords(_ bytes: [UInt8]) -> Bool {
        let reader = CSVReader(Data(bytes), file: "", code: .referenceList)
        var blank = true
        do {
            try reader.forEachRecord { record in blank = blank && reader.isBlank(record) }
        } catch {
            return false
        }
        return blank
    }
}
