/// The assessment outcome of an assessed NPQ.
public enum ApplicationOutcome: String, Codable, Sendable, CaseIterable {
    case passed
    case failed
}
