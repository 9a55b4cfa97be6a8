/// Where a cohort's registration window stands on a given day.
public enum RegistrationStatus: String, Codable, Sendable, CaseIterable {
    /// The window has not opened yet.
    case upcoming
    /// Applications are being taken.
    case open
    /// The window has closed.
    case closed
}
