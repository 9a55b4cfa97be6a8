import Foundation

/// One entry of an application's history: what changed, who did it, when and why.
public struct ApplicationChange: Codable, Sendable, Equatable {
    /// E.g. `submitted`, `accepted`, `rejected`, `deferred`, `resumed`, `withdrawn`, `outcome_recorded`.
    public var action: String
    /// The broker user (a lead provider's, an operator's) or `npq-applications` for automatic changes.
    public var by: String
    public var at: Date
    public var reason: String?

    public init(action: String, by: String, at: Date, reason: String? = nil) {
        self.action = action
        self.by = by
        self.at = at
        self.reason = reason
    }
}
