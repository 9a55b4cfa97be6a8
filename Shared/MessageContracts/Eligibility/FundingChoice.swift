/// Who pays when the place is not funded.
public enum FundingChoice: String, Codable, Sendable, CaseIterable {
    case school
    case trust
    case `self`
    case another
    case employer
}
