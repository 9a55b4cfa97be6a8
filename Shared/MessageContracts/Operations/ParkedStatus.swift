/// Where a parked message stands: waiting for an operator, or sent back to its service.
public enum ParkedStatus: String, Codable, Sendable, CaseIterable {
    /// Set aside with its rejection reason; nothing has been done with it since.
    case parked
    /// An operator replayed it; if its service refuses it again, it is parked again.
    case replayed
}
