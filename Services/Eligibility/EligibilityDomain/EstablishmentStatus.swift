/// An establishment's status in GIAS (`EstablishmentStatus (code)`).
///
/// Open, open but proposed to close, and proposed to open all count as open: staff work there (a school proposed
/// to open has its head and first teachers appointed before it opens), as DfE's registration service also treats
/// them. Only a closed establishment cannot be named by an application.
public enum EstablishmentStatus: Int, Sendable, CaseIterable, Hashable {
    /// `1`: open.
    case open = 1
    /// `2`: closed.
    case closed = 2
    /// `3`: open, but proposed to close.
    case openProposedToClose = 3
    /// `4`: proposed to open.
    case proposedToOpen = 4

    /// Whether an application may name the establishment: every status but closed.
    public var isOpen: Bool { self != .closed }

    /// GIAS's name for the status.
    public var name: String {
        switch self {
        case .open: "Open"
        case .closed: "Closed"
        case .openProposedToClose: "Open, but proposed to close"
        case .proposedToOpen: "Proposed to open"
        }
    }
}
