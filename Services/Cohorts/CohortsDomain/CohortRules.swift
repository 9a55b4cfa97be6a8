import MessageContracts

/// The rules a definition of a cohort, schedule or offering must follow, whether it comes from a command or from the
/// reference files. Each check returns every rule broken, so a person fixes them all in one go.
public enum CohortRules {
    /// The longest description a cohort may carry.
    public static let maxDescriptionLength = 200

    /// Checks a cohort definition; `existing` is the stored definition it replaces and `acceptedApplications` how
    /// many applications the cohort has accepted so far (its funding mode is then fixed); `schedules` are the
    /// cohort's stored schedules, which must still start on or after registration opens.
    public static func check(
        _ cohort: Cohort, replacing existing: Cohort?, acceptedApplications: Int, schedules: [Schedule] = []
    ) -> [RuleViolation] {
        var violations: [RuleViolation] = []
        guard let year = cohort.startYear else {
            return [
                RuleViolation(
                    field: "cohort", rule: "format",
                    "cohort '\(cohort.identifier)' must be a start year and one lowercase letter, e.g. 2026b")
            ]
        }
        if cohort.registrationOpens > cohort.registrationCloses {
            violations.append(
                RuleViolation(
                    field: "registrationCloses", rule: "window_order",
                    "registration closes on \(cohort.registrationCloses), before it opens on \(cohort.registrationOpens)"
                ))
        }
        for (field, date) in [
            ("registrationOpens", cohort.registrationOpens), ("registrationCloses", cohort.registrationCloses),
        ]
        where date.year != year {
            violations.append(
                RuleViolation(
                    field: field, rule: "window_in_start_year",
                    "\(field) is \(date), outside \(year); the registration window of cohort \(cohort.identifier) must lie within its start year"
                ))
        }
        if cohort.startDate.year != year {
            violations.append(
                RuleViolation(
                    field: "startDate", rule: "start_in_start_year",
                    "startDate is \(cohort.startDate), but cohort \(cohort.identifier) starts in \(year)"))
        } else if cohort.startDate < cohort.registrationOpens {
            violations.append(
                RuleViolation(
                    field: "startDate", rule: "start_after_opening",
                    "startDate \(cohort.startDate) is before registration opens on \(cohort.registrationOpens)"))
        }
        if let description = cohort.description, description.count > maxDescriptionLength {
            violations.append(
                RuleViolation(
                    field: "description", rule: "max_length",
                    "description is \(description.count) characters; the limit is \(maxDescriptionLength)"))
        }
        let early = schedules.filter { schedule in
            schedule.cohort == cohort.identifier
                && (schedule.date(of: .started).map { $0 < cohort.registrationOpens } ?? false)
        }
        if !early.isEmpty {
            violations.append(
                RuleViolation(
                    field: "registrationOpens", rule: "schedules_start_after_opening",
                    "registration would open on \(cohort.registrationOpens), after the start of \(early.map(\.identifier).sorted().joined(separator: ", ")); redefine those schedules first"
                ))
        }
        if let existing, existing.fundingMode != cohort.fundingMode, acceptedApplications > 0 {
            violations.append(
                RuleViolation(
                    field: "fundingMode", rule: "funding_mode_locked",
                    "cohort \(cohort.identifier) has \(acceptedApplications) accepted application(s), so its funding mode stays \(existing.fundingMode.rawValue); it cannot become \(cohort.fundingMode.rawValue)"
                ))
        }
        return violations
    }

    /// Checks a schedule definition against the cohort it names (`nil` when there is no such cohort).
    public static func check(_ schedule: Schedule, cohort: Cohort?) -> [RuleViolation] {
        var violations: [RuleViolation] = []
        if cohort == nil {
            violations.append(
                RuleViolation(
                    field: "cohort", rule: "known_cohort",
                    "there is no cohort \(schedule.cohort); define it with cohort.define first"))
        }
        let allowedIdentifiers = Schedule.identifiers(for: schedule.courseGroup)
        if allowedIdentifiers.isEmpty {
            violations.append(
                RuleViolation(
                    field: "courseGroup", rule: "group_has_schedules",
                    "the \(schedule.courseGroup.rawValue) course group has no schedules: its only course is hidden and cannot be offered"
                ))
        } else if let group = Schedule.courseGroup(ofIdentifier: schedule.identifier), group != schedule.courseGroup {
            violations.append(
                RuleViolation(
                    field: "courseGroup", rule: "schedule_in_group",
                    "schedule \(schedule.identifier) belongs to the \(group.rawValue) course group, not \(schedule.courseGroup.rawValue)"
                ))
        } else if !allowedIdentifiers.contains(schedule.identifier) {
            violations.append(
                RuleViolation(
                    field: "schedule", rule: "known_schedule",
                    "'\(schedule.identifier)' is not a schedule of the \(schedule.courseGroup.rawValue) course group; use one of \(allowedIdentifiers.joined(separator: ", "))"
                ))
        }
        violations += checkMilestones(schedule, cohort: cohort)
        return violations
    }

    private static func checkMilestones(_ schedule: Schedule, cohort: Cohort?) -> [RuleViolation] {
        let startYear = cohort?.startYear
        var violations: [RuleViolation] = []
        let allowed = DeclarationType.allowed(in: schedule.courseGroup)
        guard schedule.milestones.first?.declarationType == .started else {
            return [
                RuleViolation(
                    field: "milestones", rule: "starts_with_started",
                    "a schedule's milestones begin with 'started'; list them in declaration order")
            ]
        }
        var previous: Milestone?
        for (index, milestone) in schedule.milestones.enumerated() {
            let field = "milestones[\(index)]"
            if !allowed.contains(milestone.declarationType) {
                violations.append(
                    RuleViolation(
                        field: "\(field).declarationType", rule: "allowed_in_group",
                        "\(milestone.declarationType.rawValue) is not a declaration of \(schedule.courseGroup.rawValue) courses; they have \(allowed.map(\.rawValue).joined(separator: ", "))"
                    ))
            }
            if let previous {
                if milestone.declarationType <= previous.declarationType {
                    violations.append(
                        RuleViolation(
                            field: "\(field).declarationType", rule: "declaration_order",
                            "\(milestone.declarationType.rawValue) comes after \(previous.declarationType.rawValue); list each declaration once, in the order started, retained-1, retained-2, completed"
                        ))
                } else if milestone.date <= previous.date {
                    violations.append(
                        RuleViolation(
                            field: "\(field).date", rule: "ascending_dates",
                            "\(milestone.declarationType.rawValue) on \(milestone.date) must be after \(previous.declarationType.rawValue) on \(previous.date)"
                        ))
                }
            }
            previous = milestone
        }
        if let cohort, let started = schedule.date(of: .started), started < cohort.registrationOpens {
            violations.append(
                RuleViolation(
                    field: "milestones[0].date", rule: "started_after_registration_opens",
                    "started on \(started) is before cohort \(cohort.identifier)'s registration opens on \(cohort.registrationOpens)"
                ))
        }
        if let startYear, let started = schedule.date(of: .started), started.year != startYear,
            started.year != startYear + 1
        {
            violations.append(
                RuleViolation(
                    field: "milestones[0].date", rule: "started_in_cohort_years",
                    "started on \(started) is outside \(startYear)–\(startYear + 1), the years of cohort \(schedule.cohort)"
                ))
        }
        return violations
    }

    /// Checks an offering against the cohort, course and lead provider it names (`nil` when unknown).
    public static func check(
        _ offering: Offering, cohort: Cohort?, course: Course?, leadProvider: LeadProvider?
    )
        -> [RuleViolation]
    {
        var violations: [RuleViolation] = []
        if cohort == nil {
            violations.append(
                RuleViolation(
                    field: "cohort", rule: "known_cohort",
                    "there is no cohort \(offering.cohort); define it with cohort.define first"))
        }
        if let course {
            if course.hidden && offering.offered {
                violations.append(
                    RuleViolation(
                        field: "course", rule: "course_offerable",
                        "\(course.identifier) is a legacy course that can no longer be offered"))
            }
        } else {
            violations.append(
                RuleViolation(field: "course", rule: "known_course", "there is no course \(offering.course)"))
        }
        if leadProvider == nil {
            violations.append(
                RuleViolation(
                    field: "leadProvider", rule: "known_lead_provider",
                    "there is no lead provider \(offering.leadProvider)"))
        }
        if let target = offering.recruitmentTarget, target < 1 {
            violations.append(
                RuleViolation(
                    field: "recruitmentTarget", rule: "minimum",
                    "recruitmentTarget is \(target); it must be 1 or more, or left out for no target"))
        }
        return violations
    }
}
