import MessageContracts

/// Every version of the parameters; evaluations use the one in force on their day.
public struct RegulatoryParameterSet: Codable, Sendable, Equatable {
    public var versions: [RegulatoryParameters]

    public init(versions: [RegulatoryParameters]) { self.versions = versions }

    /// The version with the latest `effectiveFrom` on or before `day` (the earliest version before any).
    public func inForce(on day: CalendarDate) -> RegulatoryParameters {
        versions.filter { $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }
            ?? versions.min { $0.effectiveFrom < $1.effectiveFrom }!
    }
}
