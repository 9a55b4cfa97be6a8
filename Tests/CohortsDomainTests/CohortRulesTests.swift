import CohortsDomain
import MessageContracts
import Testing

@Suite("Cohort, schedule and offering rules")
struct CohortRulesTests {
    static let cohort = Cohort(
        identifier: "2026b", fundingMode: .capped, registrationOpens: date("2026-06-23"),
        registrationCloses: date("2026-10-09"), startDate: date("2026-11-16"))

    @Test("A well-formed cohort passes")
    func validCohort() {
        #expect(CohortRules.check(Self.cohort, replacing: nil, acceptedApplications: 0).isEmpty)
    }

    @Test("The registration window must lie within the start year")
    func windowInStartYear() {
        var cohort = Self.cohort
        cohort.registrationCloses = date("2027-01-10")
        let violations = CohortRules.check(cohort, replacing: nil, acceptedApplications: 0)
        #expect(violations.map(\.rule) == ["window_in_start_year"])
        #expect(violations.first?.field == "registrationCloses")
    }

    @Test("The window closes after it opens; the start is in the start year and not before opening")
    func orderAndStart() {
        var cohort = Self.cohort
        cohort.registrationOpens = date("2026-10-10")
        cohort.startDate = date("2027-01-05")
        let rules = CohortRules.check(cohort, replacing: nil, acceptedApplications: 0).map(\.rule)
        #expect(rules == ["window_order", "start_in_start_year"])
        cohort = Self.cohort
        cohort.startDate = date("2026-05-01")
        #expect(
            CohortRules.check(cohort, replacing: nil, acceptedApplications: 0).map(\.rule) == ["start_after_opening"])
    }

    @Test("A malformed identifier is refused")
    func malformedIdentifier() {
        var cohort = Self.cohort
        cohort.identifier = "26b"
        #expect(CohortRules.check(cohort, replacing: nil, acceptedApplications: 0).map(\.rule) == ["format"])
    }

    @Test("The funding mode cannot change once the cohort has accepted applications")
    func fundingModeLocked() {
        var changed = Self.cohort
        changed.fundingMode = .full
        #expect(CohortRules.check(changed, replacing: Self.cohort, acceptedApplications: 0).isEmpty)
        let violations = CohortRules.check(changed, replacing: Self.cohort, acceptedApplications: 3)
        #expect(violations.map(\.rule) == ["funding_mode_locked"])
        #expect(violations.first?.field == "fundingMode")
        // Other fields may still change.
        var moved = Self.cohort
        moved.registrationCloses = date("2026-10-16")
        #expect(CohortRules.check(moved, replacing: Self.cohort, acceptedApplications: 3).isEmpty)
    }

    static func schedule(_ identifier: String, _ group: CourseGroup, _ milestones: [Milestone]) -> Schedule {
        Schedule(cohort: "2026b", identifier: identifier, courseGroup: group, milestones: milestones)
    }

    @Test("A schedule names a defined cohort and an identifier of its course group")
    func scheduleIdentity() {
        let milestones = [Milestone(.started, date("2026-11-16")), Milestone(.completed, date("2028-02-16"))]
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, milestones), cohort: Self.cohort)
                .isEmpty)
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, milestones), cohort: nil).map(\.rule)
                == ["known_cohort"])
        #expect(
            CohortRules.check(Self.schedule("npq-ehco-june", .specialist, milestones), cohort: Self.cohort).map(\.rule)
                == ["schedule_in_group"])
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-winter", .specialist, milestones), cohort: Self.cohort)
                .map(\.rule) == ["known_schedule"])
        #expect(
            CohortRules.check(Self.schedule("npq-aso-june", .support, milestones), cohort: Self.cohort).map(\.rule)
                == ["group_has_schedules"])
    }

    @Test("Milestones: started first, declarations in order, dates ascending, retained-2 for leadership only")
    func milestones() {
        let leadership = [
            Milestone(.started, date("2026-11-16")), Milestone(.retained1, date("2027-05-17")),
            Milestone(.retained2, date("2028-01-24")), Milestone(.completed, date("2028-07-25")),
        ]
        #expect(
            CohortRules.check(Self.schedule("npq-leadership-autumn", .leadership, leadership), cohort: Self.cohort)
                .isEmpty)
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, leadership), cohort: Self.cohort)
                .map(\.rule) == ["allowed_in_group"])
        let backwards = [Milestone(.started, date("2026-11-16")), Milestone(.completed, date("2026-11-16"))]
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, backwards), cohort: Self.cohort)
                .map(\.rule) == ["ascending_dates"])
        let disordered = [
            Milestone(.started, date("2026-11-16")), Milestone(.completed, date("2027-11-16")),
            Milestone(.retained1, date("2027-12-01")),
        ]
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, disordered), cohort: Self.cohort)
                .map(\.rule) == ["declaration_order"])
        let noStart = [Milestone(.retained1, date("2027-05-17"))]
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, noStart), cohort: Self.cohort)
                .map(\.rule) == ["starts_with_started"])
        let late = [Milestone(.started, date("2028-11-16")), Milestone(.completed, date("2029-11-16"))]
        #expect(
            CohortRules.check(Self.schedule("npq-specialist-autumn", .specialist, late), cohort: Self.cohort)
                .map(\.rule) == ["started_in_cohort_years"])
    }

    @Test(
        "A schedule starts on or after its cohort's registration opens, and a cohort cannot move its opening past them")
    func schedulesAndOpening() {
        let early = Self.schedule(
            "npq-specialist-autumn", .specialist,
            [Milestone(.started, date("2026-06-01")), Milestone(.completed, date("2027-09-01"))])
        #expect(CohortRules.check(early, cohort: Self.cohort).map(\.rule) == ["started_after_registration_opens"])
        let onTime = Self.schedule(
            "npq-specialist-autumn", .specialist,
            [Milestone(.started, date("2026-11-16")), Milestone(.completed, date("2028-02-16"))])
        var later = Self.cohort
        later.registrationOpens = date("2026-11-20")
        later.registrationCloses = date("2026-12-20")
        later.startDate = date("2026-12-01")
        let violations = CohortRules.check(later, replacing: Self.cohort, acceptedApplications: 0, schedules: [onTime])
        #expect(violations.map(\.rule) == ["schedules_start_after_opening"])
        #expect(violations.first?.field == "registrationOpens")
    }

    @Test("An offering names a defined cohort, an existing visible course and a known provider")
    func offerings() {
        let course = Course(
            identifier: "npq-senco", shortCode: "NPQSENCO", name: "SENCO", group: .leadership, taughtMonths: 18,
            monthsToOutcome: 22)
        let aso = Course(
            identifier: "npq-additional-support-offer", shortCode: "ASO", name: "ASO", group: .support,
            taughtMonths: nil, monthsToOutcome: nil, hidden: true)
        let provider = LeadProvider(identifier: "teach-first", name: "Teach First")
        let offering = Offering(
            cohort: "2026b", course: "npq-senco", leadProvider: "teach-first", recruitmentTarget: 10)
        #expect(CohortRules.check(offering, cohort: Self.cohort, course: course, leadProvider: provider).isEmpty)
        #expect(
            CohortRules.check(offering, cohort: nil, course: nil, leadProvider: nil).map(\.rule)
                == ["known_cohort", "known_course", "known_lead_provider"])
        #expect(
            CohortRules.check(offering, cohort: Self.cohort, course: aso, leadProvider: provider).map(\.rule)
                == ["course_offerable"])
    }

    @Test("Display name: the year for suffix a, otherwise the identifier")
    func displayName() {
        #expect(Self.cohort.displayName == "2026b")
        var autumn = Self.cohort
        autumn.identifier = "2025a"
        #expect(autumn.displayName == "2025")
    }
}
