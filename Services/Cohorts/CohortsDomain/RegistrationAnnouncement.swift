import MessageContracts

/// What the registration sweep records about a cohort's window, each at most once per cohort.
public enum RegistrationAnnouncement: String, Codable, Sendable, CaseIterable {
    /// The window is open: `cohort.registration.opened` is published.
    case opened
    /// The window closed after being announced open: `cohort.registration.closed` is published.
    case closed
    /// The whole window passed before the service watched it (historic reference data): nothing is published, so
    /// nobody is told that a window long gone has opened.
    case missed

    /// What is due for `cohort` on `today`, given what has already been recorded for it.
    public static func due(
        for cohort: Cohort, recorded: Set<RegistrationAnnouncement>, on today: CalendarDate
    )
        -> [RegistrationAnnouncement]
    {
        switch cohort.registrationStatus(on: today) {
        case .upcoming:
            return []
        case .open:
            return recorded.isEmpty ? [.opened] : []
        case .closed:
            if recorded.contains(.opened) { return recorded.contains(.closed) ? [] : [.closed] }
            return recorded.isEmpty ? [.missed] : []
        }
    }
}
