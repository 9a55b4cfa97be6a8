/// Why an application was rejected.
public enum RejectionCause: String, Codable, Sendable, CaseIterable {
    /// The lead provider rejected it.
    case rejectedByProvider = "rejected_by_provider"
    /// The same person's application for the same course and cohort was accepted.
    case otherApplicationInThisCohortAccepted = "other_application_in_this_cohort_accepted"
    /// Its cohort's registration closed long ago and it was never decided.
    case registrationExpired = "registration_expired"
}
