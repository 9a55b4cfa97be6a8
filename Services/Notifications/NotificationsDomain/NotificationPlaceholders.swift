import MessageContracts

/// The placeholders a template may use, by kind: names of text values (`{{name}}`) and of yes/no flags
/// (`{{#funded}}…{{/funded}}`, `{{^funded}}…{{/funded}}`). A template using any other name is refused at start.
///
/// A text value may be absent (an optional fact): it then renders as nothing and counts as false in a section, so
/// `{{#expectedOutcome}}Expected outcome: {{expectedOutcome}}{{/expectedOutcome}}` prints only when known.
public struct NotificationPlaceholders: Sendable, Equatable {
    public var texts: Set<String>
    public var flags: Set<String>

    public init(texts: Set<String>, flags: Set<String> = []) {
        self.texts = texts
        self.flags = flags
    }

    /// Every name, sorted, for error messages.
    public var all: [String] { (texts.union(flags)).sorted() }

    /// What every applicant's notice has.
    static let applicant: Set<String> = [
        "name", "course", "courseName", "leadProvider", "leadProviderName", "cohort", "cohortName", "applicationID",
    ]

    /// What every SENCO reminder has (senco.md's reminder table), from `senco.reminder.due`.
    static let sencoReminder = NotificationPlaceholders(
        texts: [
            "schoolURN", "schoolName", "personName", "status", "deadline", "alternativeDeadline", "nasencoDeadline",
            "expectedOutcome", "recommendedCohort", "lastSafeCohort", "cohort", "registrationCloses", "dueOn",
            "recipientName",
        ])

    /// The placeholders of `kind`.
    public static func of(_ kind: NotificationKind) -> NotificationPlaceholders {
        switch kind {
        case .applicationSubmitted:
            NotificationPlaceholders(
                texts: applicant.union(["fundingStatus", "fundingExplanation", "fundingChoice"]),
                flags: ["funded", "reviewRequired"])
        case .applicationAccepted:
            NotificationPlaceholders(texts: applicant.union(["schedule"]), flags: ["fundedPlace"])
        case .applicationRejected:
            NotificationPlaceholders(
                texts: applicant.union(["reason"]),
                flags: ["rejectedByProvider", "otherApplicationAccepted", "registrationExpired"])
        case .participantDeferred, .participantWithdrawn:
            NotificationPlaceholders(texts: applicant.union(["reason"]))
        case .participantResumed:
            NotificationPlaceholders(texts: applicant)
        case .outcomePassed, .outcomeFailed:
            NotificationPlaceholders(texts: applicant.union(["completedOn"]))
        case .fundingChanged:
            NotificationPlaceholders(
                texts: applicant.union(["fundingStatus", "fundingExplanation", "previousStatus"]), flags: ["funded"])
        case .registrationOpened:
            NotificationPlaceholders(
                texts: ["name", "course", "courseName", "cohort", "cohortName", "leadProviders", "registrationCloses"])
        case .staffAccepted:
            NotificationPlaceholders(
                texts: [
                    "schoolURN", "schoolName", "recipientName", "staffName", "course", "courseName", "leadProvider",
                    "leadProviderName", "cohort", "cohortName", "startDate", "expectedOutcome", "sencoDeadline",
                ],
                flags: ["senco", "outcomeBeforeDeadline", "outcomeAfterDeadline"])
        case .sencoAppointmentRecorded, .sencoRegistrationOpened, .sencoRegistrationClosing,
            .sencoLastSafeCohortClosed, .sencoNoFeasibleCohort, .sencoDeadlineCountdown, .sencoBreach,
            .sencoNASENCOCompletion, .sencoOutcomeOverdue:
            sencoReminder
        }
    }
}

/// The values one notification is rendered with: text values and flags, by placeholder name.
public struct NotificationValues: Sendable, Equatable {
    public var texts: [String: String]
    public var flags: [String: Bool]

    public init(texts: [String: String] = [:], flags: [String: Bool] = [:]) {
        self.texts = texts
        self.flags = flags
    }

    /// Sets a text value; `nil` leaves it absent.
    public subscript(text name: String) -> String? {
        get { texts[name] }
        set { texts[name] = newValue }
    }

    /// Sets a flag.
    public subscript(flag name: String) -> Bool {
        get { flags[name] ?? false }
        set { flags[name] = newValue }
    }
}
