/// Where an accepted participant's training stands.
public enum TrainingStatus: String, Codable, Sendable, CaseIterable {
    case active
    case deferred
    case withdrawn
}
