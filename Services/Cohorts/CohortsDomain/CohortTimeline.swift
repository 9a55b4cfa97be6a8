import MessageContracts

/// When each cohort's courses start and when their outcomes are expected.
public enum CohortTimeline {
    /// One entry per schedule of every known cohort, ordered by start date, cohort and schedule. The expected outcome
    /// is the schedule's start plus the longest months-to-outcome of the group's visible courses.
    public static func entries(
        cohorts: [Cohort], schedules: [Schedule], courses: [Course], on today: CalendarDate
    ) -> [CohortCalendarEntry] {
        let cohortsByID = Dictionary(cohorts.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        var monthsByGroup: [CourseGroup: Int] = [:]
        for course in courses where !course.hidden {
            if let months = course.monthsToOutcome {
                monthsByGroup[course.group] = max(monthsByGroup[course.group] ?? 0, months)
            }
        }
        return schedules.compactMap { schedule -> CohortCalendarEntry? in
            guard let cohort = cohortsByID[schedule.cohort] else { return nil }
            let start = schedule.date(of: .started) ?? cohort.startDate
            return CohortCalendarEntry(
                cohort: cohort.identifier, courseGroup: schedule.courseGroup, schedule: schedule.identifier,
                startDate: start,
                expectedOutcomeDate: monthsByGroup[schedule.courseGroup].map { start.adding(months: $0) },
                registrationOpens: cohort.registrationOpens, registrationCloses: cohort.registrationCloses,
                registrationStatus: cohort.registrationStatus(on: today))
        }
        .sorted { ($0.startDate, $0.cohort, $0.schedule) < ($1.startDate, $1.cohort, $1.schedule) }
    }
}
