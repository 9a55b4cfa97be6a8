/// An organisation DfE contracts to deliver NPQs.
public struct LeadProvider: Codable, Sendable, Hashable {
    /// E.g. `ambition-institute`; also the suffix of the provider's broker user.
    public var identifier: String
    public var name: String
    /// A provider that no longer delivers, kept because historic cohorts name it.
    public var historic: Bool

    public init(identifier: String, name: String, historic: Bool = false) {
        self.identifier = identifier
        self.name = name
        self.historic = historic
    }
}
