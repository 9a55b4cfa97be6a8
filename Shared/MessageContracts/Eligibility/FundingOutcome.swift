import Foundation

/// The funding decision for an application: the status code, what it means, and why in plain English.
public struct FundingOutcome: Codable, Sendable, Equatable {
    public var status: EligibilityStatus
    public var funded: Bool
    /// A person must review the application.
    public var reviewRequired: Bool
    /// Why, in words a teacher understands, naming who else may pay.
    public var explanation: String

    public init(status: EligibilityStatus, funded: Bool, reviewRequired: Bool, explanation: String) {
        self.status = status
        self.funded = funded
        self.reviewRequired = reviewRequired
        self.explanation = explanation
    }

    public static var schema: JSONSchema {
        .object(
            [
                "status": .enumeration(of: EligibilityStatus.self).described("The decision's code."),
                "funded": JSONSchema.boolean.described("Whether the place is funded."),
                "reviewRequired": JSONSchema.boolean.described("Whether a person must review it."),
                "explanation": .string(minLength: 1, maxLength: 2_000).described("Why, in plain English."),
            ],
            required: ["status", "funded", "reviewRequired", "explanation"], additionalProperties: true)
    }

    static var example: FundingOutcome {
        FundingOutcome(
            status: .funded, funded: true, reviewRequired: false,
            explanation: "You are eligible for scholarship funding for this course.")
    }
}
