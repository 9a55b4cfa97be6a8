import CohortsDomain
import MessageContracts
import Testing

/// The default-schedule rules of courses-and-cohorts.md, and refusals of a wrongly named schedule.
@Suite("Schedule assignment at acceptance")
struct ScheduleAssignmentTests {
    static let headship = Course(
        identifier: "npq-headship", shortCode: "NPQH", name: "Headship", group: .leadership, taughtMonths: 18,
        monthsToOutcome: 22)
    static let literacy = Course(
        identifier: "npq-leading-literacy", shortCode: "NPQLL", name: "Leading literacy", group: .specialist,
        taughtMonths: 12, monthsToOutcome: 15)
    static let ehco = Course(
        identifier: "npq-early-headship-coaching-offer", shortCode: "EHCO", name: "Early headship coaching offer",
        group: .ehco, taughtMonths: 12, monthsToOutcome: nil)

    static let cohort = Cohort(
        identifier: "2024a", fundingMode: .capped, registrationOpens: date("2024-05-01"),
        registrationCloses: date("2024-10-31"), startDate: date("2024-11-25"))

    static func schedule(
        _ identifier: String, _ group: CourseGroup, started: String, cohort: String = "2024a"
    )
        -> Schedule
    {
        Schedule(
            cohort: cohort, identifier: identifier, courseGroup: group,
            milestones: [Milestone(.started, date(started)), Milestone(.completed, date(started).adding(months: 12))])
    }

    /// Every schedule of a 2024 cohort with two starts a year and four EHCO intakes.
    static let schedules = [
        schedule("npq-leadership-autumn", .leadership, started: "2024-11-25"),
        schedule("npq-leadership-spring", .leadership, started: "2025-05-30"),
        schedule("npq-specialist-autumn", .specialist, started: "2024-11-25"),
        schedule("npq-specialist-spring", .specialist, started: "2025-05-30"),
        schedule("npq-ehco-november", .ehco, started: "2024-11-01"),
        schedule("npq-ehco-december", .ehco, started: "2024-12-01"),
        schedule("npq-ehco-march", .ehco, started: "2025-03-01"),
        schedule("npq-ehco-june", .ehco, started: "2025-06-01"),
    ]

    static func assign(
        _ course: Course, on accepted: String, named: String? = nil, schedules: [Schedule] = schedules
    )
        throws(RuleViolation) -> ScheduleAssignment
    {
        try ScheduleAssignment.assign(
            course: course, cohort: cohort, schedules: schedules, acceptedOn: date(accepted), named: named)
    }

    @Test(
        "Leadership and specialist: autumn from 3 April to 25 December inclusive, spring otherwise",
        arguments: [
            ("2024-04-02", "spring"), ("2024-04-03", "autumn"), ("2024-09-02", "autumn"), ("2024-12-25", "autumn"),
            ("2024-12-26", "spring"), ("2025-01-15", "spring"), ("2025-04-02", "spring"), ("2025-04-03", "autumn"),
        ])
    func autumnOrSpring(accepted: String, season: String) throws {
        #expect(try Self.assign(Self.headship, on: accepted).schedule.identifier == "npq-leadership-\(season)")
        #expect(try Self.assign(Self.literacy, on: accepted).schedule.identifier == "npq-specialist-\(season)")
        #expect(try Self.assign(Self.headship, on: accepted).defaulted)
    }

    @Test(
        "EHCO by month relative to the cohort's start year",
        arguments: [
            ("2024-08-31", "june"), ("2024-09-01", "november"), ("2024-11-30", "november"),
            ("2024-12-01", "december"), ("2025-01-31", "december"), ("2025-02-28", "december"),
            ("2025-03-01", "march"), ("2025-05-31", "march"), ("2025-06-01", "june"), ("2025-10-01", "june"),
            ("2024-03-15", "june"),
        ])
    func ehcoMonthBands(accepted: String, season: String) throws {
        #expect(try Self.assign(Self.ehco, on: accepted).schedule.identifier == "npq-ehco-\(season)")
    }

    @Test("EHCO: 29 February of a leap year after the start year falls in the december band")
    func ehcoLeapDay() throws {
        let cohort = Cohort(
            identifier: "2023a", fundingMode: .full, registrationOpens: date("2023-05-02"),
            registrationCloses: date("2023-10-31"), startDate: date("2023-11-24"))
        let schedules = Self.schedules.map {
            var copy = $0; copy.cohort = "2023a"; return copy
        }
        let assignment = try ScheduleAssignment.assign(
            course: Self.ehco, cohort: cohort, schedules: schedules, acceptedOn: date("2024-02-29"), named: nil)
        #expect(assignment.schedule.identifier == "npq-ehco-december")
    }

    @Test("A cohort with a single schedule for the group uses it whatever the date")
    func singleScheduleCohort() throws {
        let only = [Self.schedule("npq-leadership-autumn", .leadership, started: "2024-11-25")]
        for accepted in ["2024-01-10", "2024-06-01", "2024-12-31"] {
            let assignment = try Self.assign(Self.headship, on: accepted, schedules: only)
            #expect(assignment.schedule.identifier == "npq-leadership-autumn")
            #expect(assignment.defaulted)
        }
    }

    @Test("A named schedule of the cohort and group is used, even against the default")
    func namedScheduleUsed() throws {
        let assignment = try Self.assign(Self.headship, on: "2024-09-02", named: "npq-leadership-spring")
        #expect(assignment.schedule.identifier == "npq-leadership-spring")
        #expect(!assignment.defaulted)
    }

    @Test("A named schedule that the cohort does not have is refused, never replaced by the default")
    func namedScheduleUnknownInCohort() throws {
        let only = [Self.schedule("npq-leadership-autumn", .leadership, started: "2024-11-25")]
        let error = #expect(throws: RuleViolation.self) {
            try Self.assign(Self.headship, on: "2024-09-02", named: "npq-leadership-spring", schedules: only)
        }
        #expect(error?.field == "schedule")
        #expect(error?.rule == "schedule_in_cohort")
        #expect(error?.message.contains("npq-leadership-autumn") == true)
    }

    @Test("A named schedule of another course group is refused")
    func namedScheduleOfAnotherGroup() throws {
        let error = #expect(throws: RuleViolation.self) {
            try Self.assign(Self.headship, on: "2024-09-02", named: "npq-specialist-autumn")
        }
        #expect(error?.rule == "schedule_for_course_group")
        #expect(error?.message.contains("leadership") == true)
    }

    @Test("No default when the cohort lacks the default schedule among several: refused, naming the choices")
    func missingDefaultSchedule() throws {
        let some = [
            Self.schedule("npq-ehco-november", .ehco, started: "2024-11-01"),
            Self.schedule("npq-ehco-june", .ehco, started: "2025-06-01"),
        ]
        let error = #expect(throws: RuleViolation.self) {
            try Self.assign(Self.ehco, on: "2025-01-10", schedules: some)
        }
        #expect(error?.rule == "default_schedule_in_cohort")
        #expect(error?.message.contains("npq-ehco-december") == true)
    }

    @Test("No schedule at all for the course's group is refused")
    func noScheduleForGroup() throws {
        let leadershipOnly = [Self.schedule("npq-leadership-autumn", .leadership, started: "2024-11-25")]
        let error = #expect(throws: RuleViolation.self) {
            try Self.assign(Self.literacy, on: "2024-09-02", schedules: leadershipOnly)
        }
        #expect(error?.rule == "cohort_has_schedule")
    }

    @Test("Expected outcome: start + 22 months for leadership, + 15 for specialist, none for EHCO")
    func expectedOutcome() throws {
        let leadership = try Self.assign(Self.headship, on: "2024-09-02")
        #expect(leadership.startDate == date("2024-11-25"))
        #expect(leadership.expectedOutcomeDate == date("2026-09-25"))
        #expect(try Self.assign(Self.literacy, on: "2024-09-02").expectedOutcomeDate == date("2026-02-25"))
        #expect(try Self.assign(Self.ehco, on: "2024-09-02").expectedOutcomeDate == nil)
    }
}

/// A calendar date from a literal known to be valid.
func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
