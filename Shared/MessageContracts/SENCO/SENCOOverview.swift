import Foundation

/// Asks for counts of SENCO spells by status, and the spells at risk or in breach.
public struct SENCOOverview: MessageContract {
    /// At most this many spells in each list.
    public var limit: Int?

    public init(limit: Int? = nil) { self.limit = limit }

    public static let name = "senco.overview"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "Asks for the number of SENCO spells in each status and the spells at risk or in breach."

    public static var schema: JSONSchema {
        .object(
            [
                "limit": JSONSchema.integer(minimum: 1, maximum: 1_000).nullable().described(
                    "At most this many per list.")
            ],
            required: [])
    }

    public static var example: SENCOOverview { SENCOOverview(limit: 100) }
}
