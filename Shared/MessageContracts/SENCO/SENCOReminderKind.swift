/// The reminders of senco.md, each sent once.
public enum SENCOReminderKind: String, Codable, Sendable, CaseIterable {
    /// On recording an appointment: status, deadline, recommended and last safe cohort.
    case appointmentRecorded = "appointment_recorded"
    /// Registration opened for a cohort (in scope, not qualified, not enrolled).
    case registrationOpened = "registration_opened"
    /// 6 weeks, 2 weeks or 3 days before the recommended cohort's registration closes, not registered.
    case registrationClosing = "registration_closing"
    /// The last safe cohort's registration closed without an enrolment: at risk of breach.
    case lastSafeCohortClosed = "last_safe_cohort_closed"
    /// No cohort still open can give an outcome by the deadline (and none was enrolled): at risk of breach.
    case noFeasibleCohort = "no_feasible_cohort"
    /// 12, 6, 3 and 1 months and 1 week before the deadline, not qualified.
    case deadlineCountdown = "deadline_countdown"
    /// The day after the deadline, not qualified and still SENCO.
    case breach
    /// 1 March, 1 June and 1 August 2027 for a spell relying on a NASENCO in progress.
    case nasencoCompletion = "nasenco_completion"
    /// Two weeks after the expected outcome with no outcome recorded.
    case outcomeOverdue = "outcome_overdue"

    /// Escalations (and the answer to recording an appointment) are not held back by the one-a-week limit.
    public var isRoutine: Bool {
        switch self {
        case .lastSafeCohortClosed, .noFeasibleCohort, .breach, .appointmentRecorded: false
        default: true
        }
    }
}
