import Foundation

/// An operator overrides an application's funding decision, with a reason that is kept.
public struct EligibilityOverride: MessageContract {
    public var applicationID: UUID
    /// `marked_funded_by_policy` or `marked_ineligible_by_policy`.
    public var status: EligibilityStatus
    public var reason: String

    public init(applicationID: UUID, status: EligibilityStatus, reason: String) {
        self.applicationID = applicationID
        self.status = status
        self.reason = reason
    }

    public static let name = "eligibility.override"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator marks an application funded or ineligible by policy, with a reason; recorded and audited, and published as a new eligibility.assessed."

    public static var schema: JSONSchema {
        .object(
            [
                "applicationID": JSONSchema.uuid.described("The application."),
                "status": .enumeration([
                    EligibilityStatus.markedFundedByPolicy.rawValue,
                    EligibilityStatus.markedIneligibleByPolicy.rawValue,
                ]).described("marked_funded_by_policy or marked_ineligible_by_policy."),
                "reason": .string(minLength: 1, maxLength: 500).described("Why, for the audit trail."),
            ],
            required: ["applicationID", "status", "reason"])
    }

    public static var example: EligibilityOverride {
        EligibilityOverride(
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!, status: .markedFundedByPolicy,
            reason: "School confirmed on the 2026 PP50 list after publication")
    }
}
