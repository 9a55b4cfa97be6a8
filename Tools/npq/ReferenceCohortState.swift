import MessageContracts

/// What npq-cohorts holds, as its `cohort.list` reply describes it: every cohort, schedule and offering, each as the
/// body of the command that would define it as it is.
struct ReferenceCohortState: Sendable {
    let cohorts: [String: CohortSummary]
    let schedules: [String: ScheduleDetails]
    let offerings: [String: OfferingDetails]

    /// The state a `cohort.list` reply (asked without filters) describes.
    init(_ result: CohortListResult) {
        var cohorts: [String: CohortSummary] = [:]
        var schedules: [String: ScheduleDetails] = [:]
        var offerings: [String: OfferingDetails] = [:]
        for listing in result.cohorts {
            cohorts[listing.cohort.cohort] = listing.cohort
            for schedule in listing.schedules { schedules[ReferenceCohortEntry.key(schedule)] = schedule }
            for offering in listing.offerings { offerings[ReferenceCohortEntry.key(offering)] = offering }
        }
        self.cohorts = cohorts
        self.schedules = schedules
        self.offerings = offerings
    }

    /// Whether npq-cohorts has the cohort.
    func defines(cohort: String) -> Bool { cohorts[cohort] != nil }

    /// npq-cohorts' definition of `entry`, as the body of its command; `nil` when it has none.
    func definition(of entry: ReferenceCohortEntry) -> JSONValue? {
        switch entry.kind {
        case .cohort: cohorts[entry.key].map { ReferenceCohortEntry.json(CohortDefine($0)) }
        case .schedule: schedules[entry.key].map { ReferenceCohortEntry.json(ScheduleDefine($0)) }
        case .offering: offerings[entry.key].map { ReferenceCohortEntry.json(CohortOfferingSet($0)) }
        }
    }

    /// What npq-cohorts holds that `entries` do not mention, by kind, as `kind key`: an import never removes
    /// anything, so these stay as they are.
    func notIn(_ entries: [ReferenceCohortEntry]) -> [String] {
        let mentioned = Set(entries.map { "\($0.kind.rawValue) \($0.key)" })
        let held =
            cohorts.keys.map { "cohort \($0)" } + schedules.keys.map { "schedule \($0)" }
            + offerings.keys.map { "offering \($0)" }
        return held.filter { !mentioned.contains($0) }.sorted()
    }
}
