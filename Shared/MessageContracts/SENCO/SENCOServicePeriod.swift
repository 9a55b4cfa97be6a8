import Foundation

/// A period of earlier SENCO service, both days inclusive.
public struct SENCOServicePeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    /// The last day of service.
    public var to: CalendarDate

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }

    public static var schema: JSONSchema {
        .object(
            [
                "from": JSONSchema.date.described("First day as SENCO."),
                "to": JSONSchema.date.described("Last day as SENCO."),
            ], required: ["from", "to"])
    }
}
