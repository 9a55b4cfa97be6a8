import MessageContracts

extension SchoolRecord {
    /// The school as the register's messages carry it; `line` is where it was read from, if known.
    public func entry(line: Int? = nil) -> SchoolRegisterEntry {
        SchoolRegisterEntry(
            urn: urn, ukprn: ukprn, name: name, establishmentTypeCode: establishmentTypeCode,
            establishmentStatusCode: status.rawValue, localAuthorityCode: localAuthorityCode, postcode: postcode,
            line: line)
    }

    /// The school a message carries, checked as a GIAS row is.
    ///
    /// - Throws: an ``EligibilityError`` naming the field (`urn`, `ukprn`, `establishmentTypeCode`,
    ///   `establishmentStatusCode`) and, when the entry has one, its line.
    public init(_ entry: SchoolRegisterEntry) throws(EligibilityError) {
        func problem(_ field: String, _ message: String) -> EligibilityError {
            EligibilityError(.schoolsRegister, line: entry.line, field: field, message)
        }
        guard let urn = IdentifierFormat.urn.normalise(entry.urn) else {
            throw problem("urn", "\"\(entry.urn)\" is not a URN: \(IdentifierFormat.urn.rule)")
        }
        var ukprn: String?
        if let text = entry.ukprn {
            guard let valid = IdentifierFormat.ukprn.normalise(text) else {
                throw problem("ukprn", "\"\(text)\" is not a UKPRN: \(IdentifierFormat.ukprn.rule)")
            }
            ukprn = valid
        }
        guard entry.establishmentTypeCode > 0 else {
            throw problem(
                "establishmentTypeCode", "\(entry.establishmentTypeCode) is not an establishment type code (e.g. 15)")
        }
        guard let status = EstablishmentStatus(rawValue: entry.establishmentStatusCode) else {
            throw problem(
                "establishmentStatusCode",
                "\(entry.establishmentStatusCode) is not a status code: 1 open, 2 closed, 3 open but proposed to "
                    + "close, 4 proposed to open")
        }
        self.init(
            urn: urn, ukprn: ukprn, name: entry.name, establishmentTypeCode: entry.establishmentTypeCode,
            status: status, localAuthorityCode: entry.localAuthorityCode, postcode: entry.postcode)
    }
}
