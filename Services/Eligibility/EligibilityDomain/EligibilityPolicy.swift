/// DfE's funding policy as data: every version, each applying to the cohorts it names.
///
/// Loaded from `reference/eligibility/policy.json` (see ``parse(_:file:)``); the assessment of an application uses
/// the version that names its cohort.
public struct EligibilityPolicy: Sendable, Equatable {
    /// What the file says about itself, for people.
    public var about: String?
    public var versions: [EligibilityPolicyVersion]

    public init(about: String? = nil, versions: [EligibilityPolicyVersion]) {
        self.about = about
        self.versions = versions
    }

    /// The version that applies to `cohort`, or `nil` when none names it.
    public func version(forCohort cohort: String) -> EligibilityPolicyVersion? {
        versions.first { $0.cohorts.contains(cohort) }
    }
}
