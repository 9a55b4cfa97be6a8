import MessageContracts

/// A period of SENCO service, both days inclusive.
public struct ServicePeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    /// The last day of service.
    public var to: CalendarDate

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }
}
