/// Why a participant withdrew.
public enum WithdrawalReason: String, Codable, Sendable, CaseIterable {
    case insufficientCapacity = "insufficient-capacity-to-undertake-programme"
    case personalReasonMovingSchool = "personal-reason-moving-school"
    case changeInCareer = "change-in-career"
    case startedInError = "started-in-error"
    case disengagedAndUnresponsive = "disengaged-and-unresponsive"
    case nonPaymentOfInvoice = "non-payment-of-invoice"
    case other
}
