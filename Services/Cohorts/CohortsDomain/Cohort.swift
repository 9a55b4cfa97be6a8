import MessageContracts

/// A cohort: the group of participants who start in one intake, with its funding mode and registration window.
public struct Cohort: Codable, Sendable, Hashable {
    /// Start year and a one-letter suffix, e.g. `2026b`.
    public var identifier: String
    public var fundingMode: FundingMode
    /// The first day applications are taken (Europe/London).
    public var registrationOpens: CalendarDate
    /// The last day applications are taken (Europe/London), inclusive.
    public var registrationCloses: CalendarDate
    /// The day teaching starts.
    public var startDate: CalendarDate
    /// A note for people, e.g. "spring 2026 non-scholarship".
    public var description: String?

    public init(
        identifier: String, fundingMode: FundingMode, registrationOpens: CalendarDate, registrationCloses: CalendarDate,
        startDate: CalendarDate, description: String? = nil
    ) {
        self.identifier = identifier
        self.fundingMode = fundingMode
        self.registrationOpens = registrationOpens
        self.registrationCloses = registrationCloses
        self.startDate = startDate
        self.description = description
    }

    /// The start year the identifier names, e.g. 2026 for `2026b`; `nil` when the identifier is malformed.
    public var startYear: Int? { Cohort.startYear(of: identifier) }

    /// The name people see: the year for suffix `a`, otherwise the identifier ("2026b").
    public var displayName: String {
        identifier.hasSuffix("a") ? String(identifier.dropLast()) : identifier
    }

    /// Where the registration window stands on `date`.
    public func registrationStatus(on date: CalendarDate) -> RegistrationStatus {
        if date < registrationOpens { return .upcoming }
        if date > registrationCloses { return .closed }
        return .open
    }

    /// The year of a well-formed identifier (four digits and one lowercase letter), or `nil`.
    public static func startYear(of identifier: String) -> Int? {
        let bytes = Array(identifier.utf8)
        guard bytes.count == 5, bytes[4] >= UInt8(ascii: "a"), bytes[4] <= UInt8(ascii: "z"),
            bytes[0..<4].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(identifier.prefix(4))
    }
}
