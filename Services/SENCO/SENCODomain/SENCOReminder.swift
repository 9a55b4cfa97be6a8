import MessageContracts

/// A reminder that has fallen due for a spell, identified by a key that is unique within the spell so that it is
/// sent once.
public struct SENCOReminder: Codable, Sendable, Equatable {
    public var kind: SENCOReminderKind
    /// Unique within the spell, e.g. `deadline_countdown:6m` or `registration_closing:2026b:14d`.
    public var key: String
    public var dueOn: CalendarDate
    public var recipients: [ContactRole]
    /// The cohort it is about, if any.
    public var cohort: String?

    public init(
        kind: SENCOReminderKind, key: String, dueOn: CalendarDate, recipients: [ContactRole], cohort: String? = nil
    ) {
        self.kind = kind
        self.key = key
        self.dueOn = dueOn
        self.recipients = recipients
        self.cohort = cohort
    }
}
