/// The schools register: the establishments of a GIAS extract, found by URN or UKPRN.
///
/// Loaded from GIAS's public CSV layout (the "all establishment data" download, `edubasealldata*.csv`), whose columns
/// are identified by header: `URN`, `UKPRN`, `EstablishmentName`, `TypeOfEstablishment (code)`,
/// `EstablishmentStatus (code)`, `LA (code)`, `Postcode`; the hundred or so other columns are ignored.
public struct SchoolRegister: Sendable, Equatable {
    /// The establishments by URN.
    public private(set) var schools: [String: SchoolRecord]
    private var byUKPRN: [String: String]

    /// A register of `schools`; when two share a URN the later wins.
    public init(_ schools: some Sequence<SchoolRecord> = [SchoolRecord]()) {
        self.schools = [:]
        byUKPRN = [:]
        for school in schools { add(school) }
    }

    /// The number of establishments.
    public var count: Int { schools.count }

    /// The establishment with `urn`.
    public func school(urn: String) -> SchoolRecord? { schools[IdentifierFormat.trimmed(urn)] }

    /// The establishment with `ukprn`; when several share it (a college's sites), the first in the file.
    public func school(ukprn: String) -> SchoolRecord? {
        byUKPRN[IdentifierFormat.trimmed(ukprn)].flatMap { schools[$0] }
    }

    /// Adds `school`, replacing an establishment with the same URN.
    mutating func add(_ school: SchoolRecord) {
        schools[school.urn] = school
        if let ukprn = school.ukprn, byUKPRN[ukprn] == nil { byUKPRN[ukprn] = school.urn }
    }
}
