import MessageContracts
import SENCODomain
import Testing

private typealias F = SENCOFixtures

/// An NPQ for SENCOs passed on 25 September 2026 (cohort 2024a).
private let passedNPQ = F.npq(started: "2024-11-25", outcome: .passed, on: "2026-09-25")

@Suite("Rule 11: exactly one status, by precedence")
struct SENCOStatusPrecedenceTests {
    @Test(
        "Rule 11: every status is reached, exactly one per spell and day",
        arguments: [
            (F.spell("2024-09-01", qualifications: [passedNPQ]), "2026-10-01", SENCOStatus.qualified),
            (F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")]), "2024-09-01", .exemptPriorService),
            (F.spell("2024-09-01", school: .special), "2024-09-01", .outOfScopeSchoolType),
            (F.spell("2008-01-07"), "2024-09-01", .legacyPre2009),
            (F.spell("2024-09-01", ended: "2026-03-31"), "2026-04-01", .leftBeforeDeadline),
            (F.spell("2024-09-01", ended: "2027-09-30"), "2027-10-01", .leftAfterDeadline),
            (F.spell("2024-09-01"), "2027-09-02", .breach),
            (F.spell("2025-05-01"), "2025-10-11", .atRisk),
            (F.spell("2025-09-01", enrolment: F.enrolment("2025a")), "2025-12-01", .enrolled),
            (F.spell("2025-09-01"), "2025-09-01", .notEnrolled),
        ])
    func everyStatus(spell: SENCOSpell, day: String, status: SENCOStatus) {
        #expect(F.evaluate(spell, on: day).status == status)
    }

    @Test(
        "Rule 11: qualified beats exempt_prior_service, out_of_scope_school_type and legacy_pre_2009",
        arguments: [
            F.spell("2024-09-01", school: .independent, qualifications: [passedNPQ]),
            F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")], qualifications: [passedNPQ]),
            F.spell("2008-01-07", qualifications: [passedNPQ]),
            F.spell("2009-09-01", qualifications: [passedNPQ]),
        ])
    func qualifiedBeatsOutOfScope(spell: SENCOSpell) {
        let e = F.evaluate(spell, on: "2026-10-01")
        #expect(e.status == .qualified)
        #expect(e.qualifiedOn == date("2026-09-25"))
        #expect(!e.inScope)
        #expect(e.deadline == nil)
    }

    @Test("Rule 11: qualified beats left_before_deadline, left_after_deadline and breach")
    func qualifiedBeatsLeftAndBreach() {
        // A = 9 January 2023, D = 9 January 2026; passed on 2 February 2026.
        let award = [F.npq(started: "2024-11-25", outcome: .passed, on: "2026-02-02")]
        #expect(F.evaluate(F.spell("2023-01-09", qualifications: award), on: "2026-03-02").status == .qualified)
        let leftBefore = F.spell("2023-01-09", ended: "2025-12-31", qualifications: award)
        #expect(F.evaluate(leftBefore, on: "2026-03-02").status == .qualified)
        let leftAfter = F.spell("2023-01-09", ended: "2026-02-27", qualifications: award)
        #expect(F.evaluate(leftAfter, on: "2026-03-02").status == .qualified)
    }

    @Test("Rule 11: exempt and out of scope beat left_before_deadline and breach")
    func outOfScopeBeatsLeftAndBreach() {
        let independentLeft = F.spell("2024-09-01", school: .independent, ended: "2025-03-31")
        #expect(F.evaluate(independentLeft, on: "2025-04-01").status == .outOfScopeSchoolType)
        let exemptAfterThreeYears = F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")])
        #expect(F.evaluate(exemptAfterThreeYears, on: "2027-09-02").status == .exemptPriorService)
        let legacyLeft = F.spell("2009-09-01", ended: "2012-09-30")
        #expect(F.evaluate(legacyLeft, on: "2013-01-07").status == .legacyPre2009)
    }

    @Test("Rule 11: left_before_deadline beats breach: evaluated after D, the person left on or before it")
    func leftBeatsBreach() {
        let e = F.evaluate(F.spell("2024-09-01", ended: "2027-08-31"), on: "2027-10-01")
        #expect(e.status == .leftBeforeDeadline)
        #expect(!e.flags.contains(.endedInBreach))
    }

    @Test("Rule 11: breach beats at_risk and enrolled")
    func breachBeatsEnrolment() {
        // A = 3 November 2025, D = 3 November 2028; cohort 2026b's outcome (16 Sep 2028) is within 3 months of D.
        let late = F.spell("2025-11-03", enrolment: F.enrolment("2026b"))
        #expect(F.evaluate(late, on: "2027-01-04").status == .atRisk)
        #expect(F.evaluate(late, on: "2028-11-04").status == .breach)
        // An accepted place with the outcome in good time is still a breach once D has passed without it.
        let onTime = F.spell("2025-09-01", enrolment: F.enrolment("2025a"))
        #expect(F.evaluate(onTime, on: "2025-12-01").status == .enrolled)
        #expect(F.evaluate(onTime, on: "2028-09-02").status == .breach)
    }

    @Test("Rule 11: at_risk when an enrolment's expected outcome is later than D − 3 months")
    func atRiskLateOutcome() {
        let e = F.evaluate(F.spell("2025-11-03", enrolment: F.enrolment("2026b")), on: "2027-01-04")
        #expect(e.status == .atRisk)
        #expect(e.expectedOutcome == date("2028-09-16"))
        #expect(e.deadline == date("2028-11-03"))
    }

    @Test(
        "Rule 11: at_risk boundary — an outcome on D − 3 months is enrolled, a day later at_risk",
        arguments: [("2028-05-31", SENCOStatus.enrolled), ("2028-06-01", .enrolled), ("2028-06-02", .atRisk)])
    func atRiskBoundary(outcome: String, status: SENCOStatus) {
        // A = 1 September 2025, D = 1 September 2028, D − 3 months = 1 June 2028.
        let spell = F.spell("2025-09-01", enrolment: F.enrolment("2026b", expectedOutcome: outcome))
        let e = F.evaluate(spell, on: "2026-12-01")
        #expect(e.status == status)
        #expect(e.expectedOutcome == date(outcome))
    }

    @Test("Rule 11: a planned (not yet accepted) cohort whose outcome is too late is at_risk too")
    func plannedCohortAtRisk() {
        let e = F.evaluate(F.spell("2025-11-03", enrolment: F.enrolment("2026b", accepted: false)), on: "2026-07-01")
        #expect(e.status == .atRisk)
        #expect(e.expectedOutcome == date("2028-09-16"))
    }

    @Test("Rule 11: enrolled otherwise — an accepted place with the outcome in good time")
    func enrolledOtherwise() {
        let e = F.evaluate(F.spell("2025-09-01", enrolment: F.enrolment("2025a")), on: "2025-12-01")
        #expect(e.status == .enrolled)
        #expect(e.expectedOutcome == date("2027-09-17"))
        // Still enrolled once no other cohort is open: the person has a place.
        let spring = F.evaluate(F.spell("2025-05-01", enrolment: F.enrolment("2025a")), on: "2026-01-05")
        #expect(spring.status == .enrolled)
    }

    @Test("Rule 11: not_enrolled, with a recommended cohort, while a feasible cohort is still open")
    func notEnrolled() {
        let e = F.evaluate(F.spell("2025-09-01"), on: "2025-09-01")
        #expect(e.status == .notEnrolled)
        #expect(e.recommendedCohort == "2025a")
        #expect(e.reason.contains("2025a"))
        // Applied but not yet accepted, with the outcome in good time: still not enrolled.
        let applied = F.evaluate(
            F.spell("2025-09-01", enrolment: F.enrolment("2025a", accepted: false)), on: "2025-09-20")
        #expect(applied.status == .notEnrolled)
        #expect(applied.expectedOutcome == date("2027-09-17"))
    }
}

@Suite("Rule 12: enrolment evidence and engagement")
struct SENCOEnrolmentEvidenceTests {
    @Test("Rule 12: engagement below 90% sets assessment_eligibility_risk")
    func lowEngagement() {
        let low = F.evaluate(
            F.spell("2025-09-01", enrolment: F.enrolment("2025a"), lowEngagement: true), on: "2026-03-02")
        #expect(low.flags.contains(.assessmentEligibilityRisk))
        #expect(low.status == .enrolled)
        let normal = F.evaluate(F.spell("2025-09-01", enrolment: F.enrolment("2025a")), on: "2026-03-02")
        #expect(!normal.flags.contains(.assessmentEligibilityRisk))
    }

    @Test("Rule 12: an accepted application's cohort gives the expected outcome: start + 22 months, or as scheduled")
    func expectedOutcomeFromCohort() {
        let fromStart = F.evaluate(F.spell("2025-09-01", enrolment: F.enrolment("2025a")), on: "2025-12-01")
        #expect(fromStart.expectedOutcome == date("2025-11-17").adding(months: 22))
        #expect(fromStart.expectedOutcome == date("2027-09-17"))
        let scheduled = F.evaluate(
            F.spell("2025-09-01", enrolment: F.enrolment("2025a", expectedOutcome: "2027-08-20")), on: "2025-12-01")
        #expect(scheduled.expectedOutcome == date("2027-08-20"))
        let none = F.evaluate(F.spell("2025-09-01"), on: "2025-12-01")
        #expect(none.expectedOutcome == nil)
    }

    @Test("Rule 12: a passed outcome is evidence of the qualification; a failed one moves the outcome a resit later")
    func outcomes() {
        let passed = F.evaluate(
            F.spell(
                "2025-09-01", qualifications: [F.npq(started: "2025-11-17", outcome: .passed, on: "2027-09-17")],
                enrolment: F.enrolment("2025a")), on: "2027-09-17")
        #expect(passed.status == .qualified)
        // Failed on 20 September 2027: the resit's outcome is expected 6 months later, still before D − 3 months.
        let failed = [F.npq(started: "2025-11-17", outcome: .failed, on: "2027-09-20")]
        let resit = F.evaluate(
            F.spell("2025-09-01", qualifications: failed, enrolment: F.enrolment("2025a")), on: "2027-10-01")
        #expect(resit.expectedOutcome == date("2028-03-20"))
        #expect(resit.status == .enrolled)
        // With D = 1 May 2028 the resit's outcome is too close to D.
        let tight = F.evaluate(
            F.spell("2025-05-01", qualifications: failed, enrolment: F.enrolment("2025a")), on: "2027-10-01")
        #expect(tight.expectedOutcome == date("2028-03-20"))
        #expect(tight.status == .atRisk)
    }
}

@Suite("Rule 10 with a pending application")
struct SENCOPendingApplicationTests {
    @Test("An application not yet accepted, for a feasible cohort, is not_enrolled (applied), not at_risk")
    func pendingFeasible() {
        let spell = F.spell("2025-09-01", enrolment: F.enrolment("2025a", accepted: false))
        let evaluation = F.evaluate(spell, on: "2026-03-01")
        #expect(evaluation.status == .notEnrolled)
        #expect(evaluation.reason.hasPrefix("Applied for cohort 2025a, not yet accepted"))
    }
}
