import MessageContracts

/// The outcome of an assessed NPQ.
public enum AssessmentOutcome: String, Codable, Sendable, CaseIterable {
    case passed
    case failed
}
