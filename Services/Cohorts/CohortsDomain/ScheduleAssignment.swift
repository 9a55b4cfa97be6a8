import MessageContracts

/// The schedule a participant follows from acceptance, with the dates that follow from it.
public struct ScheduleAssignment: Sendable, Hashable {
    public var schedule: Schedule
    /// Whether the schedule was chosen by the default rules rather than named by the lead provider.
    public var defaulted: Bool
    /// The `started` milestone, or the cohort's start date when the schedule lists none.
    public var startDate: CalendarDate
    /// When the outcome is expected (start + the course's months to outcome); `nil` for an unassessed course.
    public var expectedOutcomeDate: CalendarDate?

    /// Assigns a schedule to a participant accepted on `acceptedOn` onto `course` in `cohort`.
    ///
    /// A schedule the provider names must exist in the cohort and belong to the course's group; it is never
    /// replaced by the default. Without one: a cohort with a single schedule for the group uses it; otherwise
    /// leadership and specialist courses take `-autumn` when accepted 3 April–25 December and `-spring` otherwise,
    /// and EHCO picks by month relative to the cohort's start year Y — 1 Sep–30 Nov Y `november`, 1 Dec Y–end of
    /// February Y+1 `december`, 1 Mar–31 May Y+1 `march`, otherwise `june`.
    public static func assign(
        course: Course, cohort: Cohort, schedules: [Schedule], acceptedOn: CalendarDate, named: String?
    ) throws(RuleViolation) -> ScheduleAssignment {
        let inCohort = schedules.filter { $0.cohort == cohort.identifier }
        let forGroup = inCohort.filter { $0.courseGroup == course.group }.sorted { $0.identifier < $1.identifier }
        let choices = forGroup.isEmpty ? "none" : forGroup.map(\.identifier).joined(separator: ", ")
        let schedule: Schedule
        let defaulted: Bool
        if let named {
            guard let found = inCohort.first(where: { $0.identifier == named }) else {
                throw RuleViolation(
                    field: "schedule", rule: "schedule_in_cohort",
                    "cohort \(cohort.identifier) has no schedule \(named); its \(course.group.rawValue) schedules are: \(choices)"
                )
            }
            guard found.courseGroup == course.group else {
                throw RuleViolation(
                    field: "schedule", rule: "schedule_for_course_group",
                    "schedule \(named) is for \(found.courseGroup.rawValue) courses, but \(course.identifier) is a \(course.group.rawValue) course; name one of: \(choices)"
                )
            }
            schedule = found
            defaulted = false
        } else {
            guard !forGroup.isEmpty else {
                throw RuleViolation(
                    field: "course", rule: "cohort_has_schedule",
                    "cohort \(cohort.identifier) has no schedule for \(course.group.rawValue) courses such as \(course.identifier)"
                )
            }
            if forGroup.count == 1 {
                schedule = forGroup[0]
            } else {
                let identifier = defaultIdentifier(
                    group: course.group, cohortStartYear: cohort.startYear ?? cohort.startDate.year,
                    acceptedOn: acceptedOn)
                guard let identifier, let found = forGroup.first(where: { $0.identifier == identifier }) else {
                    throw RuleViolation(
                        field: "schedule", rule: "default_schedule_in_cohort",
                        "accepted on \(acceptedOn), the default schedule is \(identifier ?? "undefined"), which cohort \(cohort.identifier) does not have; name one of: \(choices)"
                    )
                }
                schedule = found
            }
            defaulted = true
        }
        let start = schedule.date(of: .started) ?? cohort.startDate
        return ScheduleAssignment(
            schedule: schedule, defaulted: defaulted, startDate: start,
            expectedOutcomeDate: course.monthsToOutcome.map { start.adding(months: $0) })
    }

    /// The default schedule identifier for `group` on `acceptedOn`, by the rules above; `nil` for a group without
    /// schedules.
    public static func defaultIdentifier(
        group: CourseGroup, cohortStartYear year: Int, acceptedOn date: CalendarDate
    )
        -> String?
    {
        switch group {
        case .leadership, .specialist:
            let dayOfYear = (date.month, date.day)
            let autumn = dayOfYear >= (4, 3) && dayOfYear <= (12, 25)
            return "npq-\(group.rawValue)-\(autumn ? "autumn" : "spring")"
        case .ehco:
            let month = (date.year - year) * 12 + date.month  // months counted from January of Y as 1
            let season =
                switch month {
                case 9...11: "november"
                case 12...14: "december"
                case 15...17: "march"
                default: "june"
                }
            return "npq-ehco-\(season)"
        case .support:
            return nil
        }
    }
}
