import MessageContracts
import SENCODomain
import Testing

private typealias F = SENCOFixtures

@Suite("Rule 10: feasible and safe cohorts, the recommended and the last safe cohort")
struct CohortPlanTests {
    static func plan(
        _ cohorts: [CohortOption], deadline: String, appointed: String, on today: String
    ) -> CohortPlan {
        CohortPlan(
            cohorts: cohorts, deadline: date(deadline), appointed: date(appointed), parameters: F.parameters,
            on: date(today))
    }

    /// A cohort starting on `start`, its registration open from 1 May to 9 October of the start year.
    static func startingOn(_ start: String, id: String? = nil) -> CohortOption {
        let year = date(start).year
        return F.cohort(id ?? start, start: start, opens: "\(year)-05-01", closes: "\(year)-10-09")
    }

    // MARK: The worked example: one November start a year, A = 1 September 2025, D = 1 September 2028.

    /// Nov 2025 as in the calendar; Nov 2026 starting on the 1st of the month.
    static let exampleCohorts = [
        F.cohort("2025a", start: "2025-11-17", opens: "2025-06-02", closes: "2025-10-10"),
        F.cohort("2026b", start: "2026-11-01", opens: "2026-06-23", closes: "2026-10-09"),
    ]

    @Test("Rule 10 example: A = 1 Sep 2025, D = 1 Sep 2028 — Nov 2025 is safe, Nov 2026 only feasible")
    func workedExample() {
        let plan = Self.plan(Self.exampleCohorts, deadline: "2028-09-01", appointed: "2025-09-01", on: "2025-09-01")
        #expect(plan.feasible.map(\.cohort) == ["2025a", "2026b"])
        #expect(plan.lastSafe?.cohort == "2025a")
        #expect(plan.recommended?.cohort == "2025a")

        let spell = F.spell("2025-09-01")
        let onAppointment = F.evaluate(spell, on: "2025-09-01", cohorts: Self.exampleCohorts)
        #expect(onAppointment.deadline == date("2028-09-01"))
        #expect(onAppointment.status == .notEnrolled)
        #expect(onAppointment.recommendedCohort == "2025a")
        #expect(onAppointment.lastSafeCohort == "2025a")

        // Nov 2025 closed: Nov 2026 is still feasible, recommended, but not safe.
        let afterNov2025 = F.evaluate(spell, on: "2025-10-11", cohorts: Self.exampleCohorts)
        #expect(afterNov2025.status == .notEnrolled)
        #expect(afterNov2025.recommendedCohort == "2026b")
        #expect(afterNov2025.lastSafeCohort == "2025a")

        // Nov 2026 closed too: nothing left.
        let afterNov2026 = F.evaluate(spell, on: "2026-10-10", cohorts: Self.exampleCohorts)
        #expect(afterNov2026.status == .atRisk)
        #expect(afterNov2026.recommendedCohort == nil)
        #expect(afterNov2026.flags.contains(.noFeasibleCohort))
    }

    @Test("Rule 10 with the shipped calendar's dates: Nov 2025 (17 Nov) safe, Nov 2026 (16 Nov) not even feasible")
    func workedExampleWithCalendarDates() {
        // senco.md's example ("Nov 2026 only feasible") assumes the Nov 2026 cohort starts on or before 1 November
        // 2026, which `workedExample` covers. The shipped calendar's start for 2026b, 16 November 2026, is an
        // estimate; with it, 16 Nov 2026 + 22 months = 16 Sep 2028 is after D = 1 Sep 2028, so by rule 10's formula
        // (start + 22 months ≤ D) the cohort is not feasible. This asserts what the formula gives with those dates.
        let cohorts = [
            F.cohort("2025a", start: "2025-11-17", opens: "2025-06-02", closes: "2025-10-10"),
            F.cohort("2026b", start: "2026-11-16", opens: "2026-06-23", closes: "2026-10-09"),
        ]
        #expect(date("2026-11-16").adding(months: F.parameters.monthsToOutcome) == date("2028-09-16"))
        let plan = Self.plan(cohorts, deadline: "2028-09-01", appointed: "2025-09-01", on: "2025-09-01")
        #expect(plan.feasible.map(\.cohort) == ["2025a"])
        #expect(plan.lastSafe?.cohort == "2025a")
        #expect(plan.recommended?.cohort == "2025a")
        // Once Nov 2025 has closed no feasible cohort is left: at_risk, flagged no_feasible_cohort.
        let afterNov2025 = F.evaluate(F.spell("2025-09-01"), on: "2025-10-11", cohorts: cohorts)
        #expect(afterNov2025.recommendedCohort == nil)
        #expect(afterNov2025.lastSafeCohort == "2025a")
        #expect(afterNov2025.status == .atRisk)
        #expect(afterNov2025.flags.contains(.noFeasibleCohort))
    }

    // MARK: Boundaries (D = 1 September 2028, 22 months to outcome, 6 months' resit buffer).

    @Test(
        "Rule 10: feasible iff start + 22 months ≤ D; safe iff that + 6 months ≤ D",
        arguments: [
            ("2026-11-01", true, false),  // outcome 2028-09-01 = D
            ("2026-11-02", false, false),  // outcome 2028-09-02
            ("2026-05-01", true, true),  // outcome 2028-03-01, + 6 months = D
            ("2026-05-02", true, false),  // outcome 2028-03-02, + 6 months = D + 1
            ("2025-11-17", true, true),
            ("2026-10-31", true, false),  // outcome 2028-08-31
        ])
    func feasibleAndSafe(start: String, feasible: Bool, safe: Bool) {
        let plan = Self.plan(
            [Self.startingOn(start)], deadline: "2028-09-01", appointed: "2025-09-01", on: "2025-09-01")
        #expect(plan.feasible.map(\.cohort) == (feasible ? [start] : []))
        #expect(plan.lastSafe?.cohort == (safe ? start : nil))
    }

    @Test("Rule 10: the recommended cohort is the first feasible one still open, up to and including its closing day")
    func recommendedFirstStillOpen() {
        // A = 1 September 2025, D = 1 September 2028, the example's cohorts.
        let onClosingDay = Self.plan(
            Self.exampleCohorts, deadline: "2028-09-01", appointed: "2025-09-01", on: "2025-10-10")
        #expect(onClosingDay.recommended?.cohort == "2025a")
        let dayAfter = Self.plan(Self.exampleCohorts, deadline: "2028-09-01", appointed: "2025-09-01", on: "2025-10-11")
        #expect(dayAfter.recommended?.cohort == "2026b")
        let cohorts = F.novemberCohorts
        // A cohort whose window has not opened yet is still the one to aim for.
        let beforeOpening = Self.plan(cohorts, deadline: "2028-10-13", appointed: "2025-10-13", on: "2025-10-13")
        #expect(beforeOpening.recommended?.cohort == "2026b")
    }

    @Test("Rule 10: an infeasible cohort is never recommended, even while its registration is open")
    func infeasibleNotRecommended() {
        // A = 1 May 2025, D = 1 May 2028: 2026b (outcome 2028-09-16) cannot make it.
        let plan = Self.plan(F.novemberCohorts, deadline: "2028-05-01", appointed: "2025-05-01", on: "2026-07-01")
        #expect(plan.recommended == nil)
        #expect(!plan.feasible.map(\.cohort).contains("2026b"))
        let e = F.evaluate(F.spell("2025-05-01"), on: "2026-07-01")
        #expect(e.recommendedCohort == nil)
        #expect(e.status == .atRisk)
    }

    @Test("Rule 10: the last safe cohort is the latest safe one, not the first")
    func lastSafeIsLatest() {
        // A = 1 September 2026, D = 1 September 2029.
        let cohorts = [
            F.cohort("2026b", start: "2026-11-16", opens: "2026-06-23", closes: "2026-10-09"),
            F.cohort("2027s", start: "2027-03-01", opens: "2027-01-04", closes: "2027-02-12"),
            F.cohort("2027a", start: "2027-11-15", opens: "2027-06-01", closes: "2027-10-08"),
        ]
        let plan = Self.plan(cohorts, deadline: "2029-09-01", appointed: "2026-09-01", on: "2026-09-01")
        #expect(plan.feasible.map(\.cohort) == ["2026b", "2027s"])
        #expect(plan.lastSafe?.cohort == "2027s")
        #expect(plan.recommended?.cohort == "2026b")
    }

    @Test("Rule 10: a cohort whose registration closed before the appointment is never the last safe one")
    func lastSafeAfterAppointment() {
        // A = 13 October 2025, D = 13 October 2028: 2025a would be safe but closed on 10 October.
        let plan = Self.plan(F.novemberCohorts, deadline: "2028-10-13", appointed: "2025-10-13", on: "2025-10-13")
        #expect(plan.lastSafe == nil)
        #expect(plan.recommended?.cohort == "2026b")
        let e = F.evaluate(F.spell("2025-10-13"), on: "2025-10-13")
        #expect(e.lastSafeCohort == nil)
        #expect(e.recommendedCohort == "2026b")
        #expect(e.status == .notEnrolled)
    }

    @Test("Rule 10: with no feasible cohort left the spell is at_risk and flagged no_feasible_cohort")
    func noneLeft() {
        // A = 1 May 2025, D = 1 May 2028: only 2025a can make it; it closes on 10 October 2025.
        let spell = F.spell("2025-05-01")
        let open = F.evaluate(spell, on: "2025-10-10")
        #expect(open.status == .notEnrolled)
        #expect(open.recommendedCohort == "2025a")
        let closed = F.evaluate(spell, on: "2025-10-11")
        #expect(closed.status == .atRisk)
        #expect(closed.flags.contains(.noFeasibleCohort))
        #expect(closed.recommendedCohort == nil)
        #expect(closed.lastSafeCohort == "2025a")
    }

    @Test("Rule 10: the order cohorts are given in does not matter")
    func orderIrrelevant() {
        let forward = Self.plan(F.novemberCohorts, deadline: "2028-10-13", appointed: "2025-05-01", on: "2025-05-01")
        let backward = Self.plan(
            F.novemberCohorts.reversed(), deadline: "2028-10-13", appointed: "2025-05-01", on: "2025-05-01")
        #expect(forward.feasible == backward.feasible)
        #expect(forward.recommended == backward.recommended)
        #expect(forward.lastSafe == backward.lastSafe)
        #expect(forward.feasible.map(\.cohort) == ["2024a", "2025a", "2026b"])
    }

    @Test("Rule 10: the NPQ for SENCOs' cohorts are the leadership schedules of the cohort calendar, by start date")
    func sencoCohortsFromCalendar() {
        func entry(_ cohort: String, _ group: CourseGroup, _ schedule: String, _ start: String) -> CohortCalendarEntry {
            CohortCalendarEntry(
                cohort: cohort, courseGroup: group, schedule: schedule, startDate: date(start),
                expectedOutcomeDate: nil, registrationOpens: date("\(cohort.prefix(4))-05-01"),
                registrationCloses: date("\(cohort.prefix(4))-10-09"), registrationStatus: .open)
        }
        let calendar = [
            entry("2026b", .leadership, "npq-leadership-autumn", "2026-11-16"),
            entry("2025a", .specialist, "npq-specialist-autumn", "2025-11-17"),
            entry("2025a", .leadership, "npq-leadership-autumn", "2025-11-17"),
            entry("2025a", .ehco, "npq-ehco-november", "2025-11-01"),
            entry("2024a", .leadership, "npq-leadership-spring", "2025-05-30"),
            entry("2024a", .leadership, "npq-leadership-autumn", "2024-11-25"),
        ]
        let options = CohortOption.senco(from: calendar)
        #expect(options.map(\.startDate) == ["2024-11-25", "2025-05-30", "2025-11-17", "2026-11-16"].map(date))
        #expect(options.map(\.cohort) == ["2024a", "2024a", "2025a", "2026b"])
        #expect(options.last?.registrationCloses == date("2026-10-09"))
    }
}
