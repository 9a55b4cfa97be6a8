/// The lead provider's decision on an application.
public enum ApprovalStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case accepted
    case rejected
}
