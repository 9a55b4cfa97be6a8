import Foundation

extension SchoolRegister {
    /// The columns read, by header.
    enum Column: String, CaseIterable {
        case urn = "URN"
        case ukprn = "UKPRN"
        case name = "EstablishmentName"
        case type = "TypeOfEstablishment (code)"
        case status = "EstablishmentStatus (code)"
        case localAuthority = "LA (code)"
        case postcode = "Postcode"

        /// Whether a file without the column is refused.
        var isRequired: Bool { self == .urn || self == .type || self == .status }
    }

    /// One establishment of a GIAS extract and the line it was read from.
    public struct Row: Sendable, Equatable {
        public var school: SchoolRecord
        /// The 1-based line of the file where its record starts.
        public var line: Int

        public init(_ school: SchoolRecord, line: Int) {
            self.school = school
            self.line = line
        }
    }

    /// Reads a GIAS extract.
    ///
    /// - Throws: an ``EligibilityError`` naming the file: an empty file, a missing column (`URN`,
    ///   `TypeOfEstablishment (code)` and `EstablishmentStatus (code)` are required; the headers found are listed),
    ///   a malformed CSV line, or on line N a malformed URN or UKPRN, a type code that is not a number, a status code
    ///   other than 1–4, or a URN listed twice.
    public static func parse(_ data: Data, file: String) throws(EligibilityError) -> SchoolRegister {
        SchoolRegister(try rows(data, file: file).map(\.school))
    }

    /// Reads a GIAS extract's establishments in the file's order, each with its line; the same checks as
    /// ``parse(_:file:)``.
    public static func rows(_ data: Data, file: String) throws(EligibilityError) -> [Row] {
        let reader = CSVReader(data, file: file, code: .schoolsRegister)
        var columns: [Column: Int]?
        var rows: [Row] = []
        var lines: [String: Int] = [:]
        try reader.forEachRecord { (record) throws(EligibilityError) in
            if reader.isBlank(record) { return }
            guard let columns else {
                let header = record.fields.map(reader.text)
                var found: [Column: Int] = [:]
                for column in Column.allCases {
                    found[column] = CSVReader.column(column.rawValue, in: header)
                }
                let missing = Column.allCases.filter { $0.isRequired && found[$0] == nil }
                guard missing.isEmpty else {
                    throw EligibilityError(
                        .schoolsRegister, file: file, line: record.line,
                        "no column " + missing.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                            + " (GIAS's layout); the header row has " + CSVReader.describe(header))
                }
                columns = found
                return
            }
            func text(_ column: Column) -> String? {
                guard let index = columns[column] else { return nil }
                let value = reader.text(record, index)
                return value.isEmpty ? nil : value
            }
            func problem(_ column: Column, _ message: String) -> EligibilityError {
                EligibilityError(.schoolsRegister, file: file, line: record.line, field: column.rawValue, message)
            }
            guard let urnText = text(.urn) else { throw problem(.urn, "empty; every row needs the school's URN") }
            guard let urn = IdentifierFormat.urn.normalise(urnText) else {
                throw problem(.urn, "\"\(urnText)\" is not a URN: \(IdentifierFormat.urn.rule)")
            }
            if let first = lines[urn] {
                throw problem(.urn, "\(urn) is listed more than once (first on line \(first))")
            }
            lines[urn] = record.line
            var ukprn: String?
            if let ukprnText = text(.ukprn) {
                guard let valid = IdentifierFormat.ukprn.normalise(ukprnText) else {
                    throw problem(.ukprn, "\"\(ukprnText)\" is not a UKPRN: \(IdentifierFormat.ukprn.rule)")
                }
                ukprn = valid
            }
            guard let typeText = text(.type) else {
                throw problem(.type, "empty; every row needs GIAS's establishment type code")
            }
            guard let type = Int(typeText), type > 0 else {
                throw problem(.type, "\"\(typeText)\" is not an establishment type code (a whole number, e.g. 15)")
            }
            guard let statusText = text(.status) else {
                throw problem(.status, "empty; every row needs GIAS's establishment status code")
            }
            guard let status = Int(statusText).flatMap(EstablishmentStatus.init(rawValue:)) else {
                throw problem(
                    .status,
                    "\"\(statusText)\" is not a status code: 1 open, 2 closed, 3 open but proposed to close, "
                        + "4 proposed to open")
            }
            rows.append(
                Row(
                    SchoolRecord(
                        urn: urn, ukprn: ukprn, name: text(.name) ?? "", establishmentTypeCode: type, status: status,
                        localAuthorityCode: text(.localAuthority), postcode: text(.postcode)),
                    line: record.line))
        }
        guard columns != nil else {
            throw EligibilityError(
                .schoolsRegister, file: file,
                "the file is empty; it needs GIAS's header row (URN, TypeOfEstablishment (code), "
                    + "EstablishmentStatus (code), …)")
        }
        return rows
    }
}
