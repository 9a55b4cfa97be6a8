/// What a notification is about; each kind has its own template.
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    // To the applicant.
    case applicationSubmitted = "application_submitted"
    case applicationAccepted = "application_accepted"
    case applicationRejected = "application_rejected"
    case participantDeferred = "participant_deferred"
    case participantResumed = "participant_resumed"
    case participantWithdrawn = "participant_withdrawn"
    case outcomePassed = "outcome_passed"
    case outcomeFailed = "outcome_failed"
    case fundingChanged = "funding_changed"
    case registrationOpened = "registration_opened"
    // To the school.
    case staffAccepted = "staff_accepted"
    case sencoAppointmentRecorded = "senco_appointment_recorded"
    case sencoRegistrationOpened = "senco_registration_opened"
    case sencoRegistrationClosing = "senco_registration_closing"
    case sencoLastSafeCohortClosed = "senco_last_safe_cohort_closed"
    case sencoNoFeasibleCohort = "senco_no_feasible_cohort"
    case sencoDeadlineCountdown = "senco_deadline_countdown"
    case sencoBreach = "senco_breach"
    case sencoNASENCOCompletion = "senco_nasenco_completion"
    case sencoOutcomeOverdue = "senco_outcome_overdue"

    /// The notice for a SENCO reminder of `kind`.
    public init(reminder kind: SENCOReminderKind) {
        self.init(rawValue: "senco_\(kind.rawValue)")!
    }

    /// Whether it goes to a school (its contacts and webhook) rather than to an applicant.
    public var isForSchool: Bool { self == .staffAccepted || rawValue.hasPrefix("senco_") }
}

/// How a notification is delivered.
public enum NotificationChannel: String, Codable, Sendable, CaseIterable {
    case email
    case webhook
}

/// Where a notification stands.
public enum NotificationStatus: String, Codable, Sendable, CaseIterable {
    /// Not delivered yet: waiting for its first attempt or for a retry.
    case pending
    case delivered
    /// Given up: a permanent failure, or too many attempts.
    case failed
}

/// Who a notification is for: the applicant, a school contact by role, or the school's webhook.
public enum NotificationRecipient: String, Codable, Sendable, CaseIterable {
    case applicant
    case head
    case senco
    case sendGovernor = "send_governor"
    case chair
    case office
    case webhook

    /// The recipient for a school contact of `role`.
    public init(role: ContactRole) {
        self.init(rawValue: role.rawValue)!
    }
}
