/// The place an applicant works, as far as the funding decision needs it: a school (URN, UKPRN, GIAS establishment
/// type, open or closed) or a private childcare provider (Ofsted URN).
public struct EligibilityInstitution: Sendable, Equatable, Hashable {
    /// The school's 6-digit URN.
    public var urn: String?
    /// The 8-digit UKPRN: how a 16 to 19 setting is found on the PP50 further education list.
    public var ukprn: String?
    /// A private childcare provider's or childminder's Ofsted URN, e.g. `EY123456`.
    public var ofstedURN: String?
    /// GIAS's `TypeOfEstablishment (code)`; required for a school setting.
    public var establishmentTypeCode: Int?
    /// False when the schools register shows the establishment closed; an application cannot name a closed school.
    public var open: Bool

    public init(
        urn: String? = nil, ukprn: String? = nil, ofstedURN: String? = nil, establishmentTypeCode: Int? = nil,
        open: Bool = true
    ) {
        self.urn = urn
        self.ukprn = ukprn
        self.ofstedURN = ofstedURN
        self.establishmentTypeCode = establishmentTypeCode
        self.open = open
    }
}
