import Foundation
import MessageContracts

/// What a state change of an application produced, for the service to publish and apply.
public enum ApplicationEvent: Sendable, Equatable {
    case accepted
    case rejected(RejectionCause)
    /// Another pending application of the same person for the same course and cohort, to reject with
    /// `other_application_in_this_cohort_accepted`.
    case otherApplicationToReject(UUID)
    case deferred(DeferralReason)
    case resumed
    case withdrawn(WithdrawalReason)
    case outcomeRecorded(ApplicationOutcome)
}
