/// One establishment of the schools register (a row of GIAS's public extract): what the funding decision needs to
/// know about a school an application names.
public struct SchoolRecord: Sendable, Equatable, Hashable {
    /// The 6-digit URN.
    public var urn: String
    /// The 8-digit UKPRN, when GIAS has one (further education colleges and most academies do).
    public var ukprn: String?
    public var name: String
    /// GIAS's `TypeOfEstablishment (code)`, e.g. 15 for a local authority nursery school.
    public var establishmentTypeCode: Int
    public var status: EstablishmentStatus
    /// GIAS's `LA (code)`, e.g. `202` (Camden).
    public var localAuthorityCode: String?
    public var postcode: String?

    public init(
        urn: String, ukprn: String? = nil, name: String, establishmentTypeCode: Int,
        status: EstablishmentStatus = .open,
        localAuthorityCode: String? = nil, postcode: String? = nil
    ) {
        self.urn = urn
        self.ukprn = ukprn
        self.name = name
        self.establishmentTypeCode = establishmentTypeCode
        self.status = status
        self.localAuthorityCode = localAuthorityCode
        self.postcode = postcode
    }

    /// The school as an application's institution.
    public var institution: EligibilityInstitution {
        EligibilityInstitution(
            urn: urn, ukprn: ukprn, establishmentTypeCode: establishmentTypeCode, open: status.isOpen)
    }
}
