/// Why a participant's training is deferred.
public enum DeferralReason: String, Codable, Sendable, CaseIterable {
    case bereavement
    case longTermSickness = "long-term-sickness"
    case parentalLeave = "parental-leave"
    case careerBreak = "career-break"
    case other
}
