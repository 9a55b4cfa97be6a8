import MessageContracts

/// One person being the designated SENCO at one school: what the evaluation needs to know.
public struct SENCOSpell: Codable, Sendable, Equatable {
    public var schoolType: SchoolType
    /// The day of appointment A; with month precision, any day of the month (the 1st is assumed).
    public var appointedOn: CalendarDate
    public var datePrecision: DatePrecision
    /// The last day as SENCO at this school, once known.
    public var endedOn: CalendarDate?
    /// Earlier SENCO service at relevant schools, this tracker's earlier spells included.
    public var priorService: [ServicePeriod]
    public var qualifications: [QualificationRecord]
    /// The NPQ for SENCOs the person is registered or enrolled on, if any.
    public var enrolment: Enrolment?
    /// The provider reported engagement below 90%.
    public var lowEngagement: Bool

    public init(
        schoolType: SchoolType, appointedOn: CalendarDate, datePrecision: DatePrecision = .day,
        endedOn: CalendarDate? = nil, priorService: [ServicePeriod] = [], qualifications: [QualificationRecord] = [],
        enrolment: Enrolment? = nil, lowEngagement: Bool = false
    ) {
        self.schoolType = schoolType
        self.appointedOn = appointedOn
        self.datePrecision = datePrecision
        self.endedOn = endedOn
        self.priorService = priorService
        self.qualifications = qualifications
        self.enrolment = enrolment
        self.lowEngagement = lowEngagement
    }

    /// A: the appointment day, the 1st of the month when only the month is known (rule 9).
    public var appointmentDay: CalendarDate {
        datePrecision == .month ? CalendarDate(year: appointedOn.year, month: appointedOn.month, day: 1)! : appointedOn
    }
}
