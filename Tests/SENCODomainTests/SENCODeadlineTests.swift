import MessageContracts
import SENCODomain
import Testing

private typealias F = SENCOFixtures

/// The statuses for which regulation 49(4) does not apply to the spell.
private let outOfScopeStatuses: Set<SENCOStatus> = [.exemptPriorService, .outOfScopeSchoolType, .legacyPre2009]

@Suite("Rule 1: scope — appointment after 1 September 2009, prior service of 12 months or less")
struct SENCOScopeTests {
    @Test("Rule 1: appointed 2 September 2009, the day after the scope start, is in scope")
    func dayAfterScopeStart() {
        let e = F.evaluate(F.spell("2009-09-02"), on: "2010-01-04", cohorts: [])
        #expect(e.inScope)
        #expect(!outOfScopeStatuses.contains(e.status))
        #expect(e.deadline == date("2012-09-02"))
        #expect(!e.flags.contains(.manualReview))
    }

    @Test("Rule 1: appointed on exactly 1 September 2009 → legacy_pre_2009, flagged manual_review")
    func onScopeStart() {
        let e = F.evaluate(F.spell("2009-09-01"), on: "2010-01-04", cohorts: [])
        #expect(!e.inScope)
        #expect(e.status == .legacyPre2009)
        #expect(e.flags.contains(.manualReview))
        #expect(e.deadline == nil)
    }

    @Test(
        "Rule 1: appointed before 1 September 2009 → legacy_pre_2009, no manual review",
        arguments: [
            "2009-08-31", "2005-01-10", "1998-09-01",
        ])
    func beforeScopeStart(appointed: String) {
        let e = F.evaluate(F.spell(appointed), on: "2026-01-05")
        #expect(!e.inScope)
        #expect(e.status == .legacyPre2009)
        #expect(!e.flags.contains(.manualReview))
        #expect(e.deadline == nil)
    }

    @Test(
        "Rule 1: prior service of exactly 12 months (one period 2020-01-01…2020-12-31, `to` the last day) is in scope")
    func exactlyTwelveMonths() {
        let e = F.evaluate(F.spell("2024-09-02", prior: [("2020-01-01", "2020-12-31")]), on: "2024-09-02")
        #expect(e.priorServiceDays == 366)
        #expect(e.inScope)
        #expect(e.status != .exemptPriorService)
        #expect(e.deadline == date("2027-09-02"))
    }

    @Test("Rule 1: prior service of 12 months and 1 day (2020-01-01…2021-01-01) → exempt_prior_service")
    func twelveMonthsAndADay() {
        let e = F.evaluate(F.spell("2024-09-02", prior: [("2020-01-01", "2021-01-01")]), on: "2024-09-02")
        #expect(e.priorServiceDays == 367)
        #expect(!e.inScope)
        #expect(e.status == .exemptPriorService)
        #expect(e.deadline == nil)
    }

    @Test(
        "Rule 1: the 12-month boundary of a single period, in leap and common years and from a month's end",
        arguments: [
            ("2021-01-01", "2021-12-31", false), ("2021-01-01", "2022-01-01", true),
            ("2019-03-01", "2020-02-29", false), ("2019-03-01", "2020-03-01", true),
            ("2023-09-01", "2024-08-31", false), ("2023-09-01", "2024-09-01", true),
            ("2021-01-31", "2022-01-30", false), ("2021-01-31", "2022-01-31", true),
            ("2022-06-15", "2023-06-14", false), ("2022-06-15", "2023-06-15", true),
        ])
    func singlePeriodBoundary(from: String, to: String, exempt: Bool) {
        let e = F.evaluate(F.spell("2024-09-02", prior: [(from, to)]), on: "2024-09-02")
        #expect(e.inScope == !exempt)
        #expect((e.status == .exemptPriorService) == exempt)
    }

    @Test("Rule 1: several prior periods are summed")
    func periodsSummed() {
        // 6 + 6 whole calendar months (181 + 181 days): exactly 12 months, in scope; another 10 days take the total
        // past it.
        let twoHalves = [("2018-01-01", "2018-06-30"), ("2019-01-01", "2019-06-30")]
        let within = F.evaluate(F.spell("2024-09-02", prior: twoHalves), on: "2024-09-02")
        #expect(within.priorServiceDays == 362)
        #expect(within.inScope)
        let beyond = F.evaluate(
            F.spell("2024-09-02", prior: twoHalves + [("2020-01-01", "2020-01-10")]), on: "2024-09-02")
        #expect(beyond.priorServiceDays == 372)
        #expect(beyond.status == .exemptPriorService)
        // Each period alone is short; only their sum exempts.
        for period in twoHalves {
            #expect(F.evaluate(F.spell("2024-09-02", prior: [period]), on: "2024-09-02").inScope)
        }
    }

    @Test("Rule 1: overlapping prior periods are counted once")
    func overlapsCountedOnce() {
        // 244 + 214 days on paper, 366 distinct days (exactly 12 months): in scope.
        let overlapping = [("2020-01-01", "2020-08-31"), ("2020-06-01", "2020-12-31")]
        let e = F.evaluate(F.spell("2024-09-02", prior: overlapping), on: "2024-09-02")
        #expect(e.priorServiceDays == 366)
        #expect(e.inScope)
        // A period inside another adds nothing; one day beyond the year exempts.
        #expect(
            SENCODeadline.priorServiceDays([
                ServicePeriod(from: date("2020-01-01"), to: date("2020-12-31")),
                ServicePeriod(from: date("2020-03-01"), to: date("2020-03-31")),
            ]) == 366)
        let oneDayMore = F.evaluate(
            F.spell("2024-09-02", prior: overlapping + [("2020-12-01", "2021-01-01")]), on: "2024-09-02")
        #expect(oneDayMore.priorServiceDays == 367)
        #expect(oneDayMore.status == .exemptPriorService)
    }

    @Test(
        "Rule 1: prior service days — inclusive ends, adjacent periods joined, order irrelevant",
        arguments: [
            ([("2020-01-01", "2020-01-01")], 1),
            ([("2020-01-01", "2020-06-30"), ("2020-07-01", "2020-12-31")], 366),
            ([("2020-07-01", "2020-12-31"), ("2020-01-01", "2020-06-30")], 366),
            ([("2021-01-01", "2021-01-10"), ("2021-01-05", "2021-01-20"), ("2021-01-15", "2021-01-31")], 31),
            ([], 0),
        ])
    func priorServiceDays(periods: [(String, String)], days: Int) {
        let service = periods.map { ServicePeriod(from: date($0.0), to: date($0.1)) }
        #expect(SENCODeadline.priorServiceDays(service) == days)
    }

    @Test("Rule 1: one day of service plus a whole calendar year is more than 12 months, wherever the day falls")
    func oneDayPlusAWholeYear() {
        // 2021 (365 days, exactly 12 months) and one day in 2023: 12 months and 1 day, exempt.
        let dayAfter = F.evaluate(
            F.spell("2024-09-02", prior: [("2021-01-01", "2021-12-31"), ("2023-06-01", "2023-06-01")]),
            on: "2024-09-02")
        #expect(dayAfter.priorServiceDays == 366)
        #expect(dayAfter.status == .exemptPriorService)
        #expect(!dayAfter.inScope)
        // The same service with the single day first, on 1 March 2019 (a year before a 29 February that was not
        // served): still 12 months and 1 day, exempt. Each period is measured on its own, not from the earliest start.
        let dayBefore = F.evaluate(
            F.spell("2024-09-02", prior: [("2019-03-01", "2019-03-01"), ("2021-01-01", "2021-12-31")]),
            on: "2024-09-02")
        #expect(dayBefore.priorServiceDays == 366)
        #expect(dayBefore.status == .exemptPriorService)
        #expect(!dayBefore.inScope)
        // And with a leap year as the whole year: 2020 is 12 months (366 days), one more day in 2019 exempts.
        let leapYear = F.evaluate(
            F.spell("2024-09-02", prior: [("2019-03-01", "2019-03-01"), ("2020-01-01", "2020-12-31")]),
            on: "2024-09-02")
        #expect(leapYear.priorServiceDays == 367)
        #expect(leapYear.status == .exemptPriorService)
    }

    @Test(
        "Rule 1: separate periods of 6 calendar months (1 March–31 August twice) are exactly 12 months, in scope")
    func twoSixMonthPeriods() {
        // 184 + 184 = 368 days, more than any year, but 6 + 6 whole calendar months: exactly 12 months.
        let halves = [("2018-03-01", "2018-08-31"), ("2019-03-01", "2019-08-31")]
        let e = F.evaluate(F.spell("2024-09-02", prior: halves), on: "2024-09-02")
        #expect(e.priorServiceDays == 368)
        #expect(e.inScope)
        #expect(e.status != .exemptPriorService)
        #expect(e.deadline == date("2027-09-02"))
        #expect(e.flags.contains(.priorSpellAmbiguity))
        // One more day in either period: 12 months and 1 day, exempt.
        let longer = F.evaluate(
            F.spell("2024-09-02", prior: [("2018-03-01", "2018-09-01"), ("2019-03-01", "2019-08-31")]),
            on: "2024-09-02")
        #expect(longer.status == .exemptPriorService)
    }

    @Test("Rule 1: the leftover days of separate periods are added up and every 30 make a month")
    func thirtyDayConvention() {
        // 11 whole months, then 15 days twice: 11 months + 30 days = exactly 12 months, in scope.
        let base = [("2016-01-01", "2016-11-30"), ("2018-03-01", "2018-03-15")]
        let exactly = F.evaluate(F.spell("2024-09-02", prior: base + [("2019-03-01", "2019-03-15")]), on: "2024-09-02")
        #expect(exactly.priorServiceDays == 335 + 15 + 15)
        #expect(exactly.inScope)
        // 15 + 16 leftover days: 12 months and 1 day, exempt.
        let oneMore = F.evaluate(F.spell("2024-09-02", prior: base + [("2019-03-01", "2019-03-16")]), on: "2024-09-02")
        #expect(oneMore.status == .exemptPriorService)
        #expect(!oneMore.inScope)
    }

    @Test(
        "Rule 1: prior service length — whole calendar months per period, leftover days summed at 30 a month",
        arguments: [
            ([("2020-01-01", "2020-12-31")], 12, 0),
            ([("2020-01-01", "2021-01-01")], 12, 1),
            ([("2019-03-01", "2020-02-29")], 12, 0),  // a year holding 29 February is still 12 months
            ([("2021-01-15", "2021-02-14")], 1, 0),
            ([("2021-01-15", "2021-02-12")], 0, 29),
            ([("2021-01-15", "2021-02-13")], 1, 0),  // 30 leftover days make a month, even within one period
            ([("2018-03-01", "2018-08-31"), ("2019-03-01", "2019-08-31")], 12, 0),
            ([("2021-01-01", "2021-01-29"), ("2022-01-01", "2022-01-29")], 1, 28),  // 29 + 29 days
            ([("2019-03-01", "2019-03-01"), ("2021-01-01", "2021-12-31")], 12, 1),
            // Touching and overlapping periods are joined before they are measured (the first pair, measured apart,
            // would be 1 month 6 days + 23 days).
            ([("2020-01-15", "2020-02-20"), ("2020-02-21", "2020-03-14")], 2, 0),
            ([("2020-01-01", "2020-08-31"), ("2020-06-01", "2020-12-31")], 12, 0),
            ([], 0, 0),
        ])
    func priorServiceLength(periods: [(String, String)], months: Int, days: Int) {
        let service = periods.map { ServicePeriod(from: date($0.0), to: date($0.1)) }
        let length = SENCODeadline.priorServiceLength(service)
        #expect(length.months == months)
        #expect(length.days == days)
    }
}

@Suite("Rule 2: out-of-scope spells get a status with a reason and no statutory reminders")
struct SENCOOutOfScopeTests {
    @Test(
        "Rule 2: special, independent and PRU/AP schools → out_of_scope_school_type, no deadline",
        arguments: [SchoolType.special, .independent, .pru])
    func outOfScopeSchoolTypes(school: SchoolType) {
        let e = F.evaluate(F.spell("2024-09-02", school: school), on: "2027-09-10")
        #expect(!e.inScope)
        #expect(e.status == .outOfScopeSchoolType)
        #expect(e.deadline == nil)
        #expect(e.reason.contains(school.rawValue))
    }

    @Test(
        "Rule 2: mainstream schools and maintained nursery schools are in scope",
        arguments: [
            SchoolType.mainstream, .maintainedNursery,
        ])
    func inScopeSchoolTypes(school: SchoolType) {
        let e = F.evaluate(F.spell("2024-09-02", school: school), on: "2024-09-02")
        #expect(e.inScope)
        #expect(e.deadline == date("2027-09-02"))
        #expect(!outOfScopeStatuses.contains(e.status))
    }

    @Test(
        "Rule 2: every out-of-scope reason keeps the advisory that DfE still expects training",
        arguments: [
            (F.spell("2024-09-02", school: .pru), SENCOStatus.outOfScopeSchoolType),
            (F.spell("2024-09-02", prior: [("2019-09-01", "2021-08-31")]), .exemptPriorService),
            (F.spell("2008-01-07"), .legacyPre2009),
        ])
    func advisory(spell: SENCOSpell, status: SENCOStatus) {
        let e = F.evaluate(spell, on: "2025-01-06")
        #expect(e.status == status)
        #expect(e.reason.contains("DfE still expects SENCOs to be trained"))
    }

    @Test(
        "Rule 2: exempt, out-of-scope and legacy spells get no statutory reminders, even past three years",
        arguments: [
            F.spell("2024-09-02", school: .independent),
            F.spell("2024-09-02", prior: [("2019-09-01", "2021-08-31")]),
            F.spell("2009-09-01"),
            F.spell("2009-08-31"),
        ])
    func noReminders(spell: SENCOSpell) {
        for day in ["2024-09-02", "2026-09-02", "2027-09-03", "2028-01-01"] {
            #expect(F.due(spell, on: day).isEmpty)
            #expect(F.nextCheck(spell, on: day) == nil)
        }
    }
}

@Suite("Rule 3: the deadline D is the third anniversary of A, clamped to the month's end")
struct SENCODeadlineDateTests {
    @Test("Rule 3: 29 February 2024 → 28 February 2027, 1 March 2027 flagged as the alternative")
    func leapDay() {
        let e = F.evaluate(F.spell("2024-02-29"), on: "2024-03-01")
        #expect(e.deadline == date("2027-02-28"))
        #expect(e.alternativeDeadline == date("2027-03-01"))
        #expect(e.flags.contains(.leapDayAmbiguity))
    }

    @Test("Rule 3: 1 September 2024 → 1 September 2027")
    func firstOfSeptember() {
        let e = F.evaluate(F.spell("2024-09-01"), on: "2024-09-01")
        #expect(e.deadline == date("2027-09-01"))
        #expect(e.alternativeDeadline == nil)
        #expect(!e.flags.contains(.leapDayAmbiguity))
    }

    @Test("Rule 3: 9 January 2023 → 9 January 2026")
    func ninthOfJanuary() {
        let e = F.evaluate(F.spell("2023-01-09"), on: "2023-01-09")
        #expect(e.deadline == date("2026-01-09"))
        #expect(e.alternativeDeadline == nil)
    }

    @Test(
        "Rule 3: calendar-year addition, never days — month ends clamp, other days keep their number",
        arguments: [
            ("2023-06-15", "2026-06-15"),  // 1,096 days later; 3 × 365 days would give 14 June
            ("2025-01-31", "2028-01-31"),
            ("2024-02-28", "2027-02-28"),
            ("2024-03-01", "2027-03-01"),
            ("2028-02-29", "2031-02-28"),
            ("2025-12-31", "2028-12-31"),
        ])
    func calendarYears(appointed: String, deadline: String) {
        let e = F.evaluate(F.spell(appointed), on: appointed)
        #expect(e.deadline == date(deadline))
        #expect(e.alternativeDeadline == (appointed.hasSuffix("-02-29") ? date(deadline).adding(days: 1) : nil))
        #expect(e.flags.contains(.leapDayAmbiguity) == appointed.hasSuffix("-02-29"))
    }
}

@Suite("Rule 4: breach on day t iff t > D, still SENCO on t, and no qualifying award dated ≤ t")
struct SENCOBreachTests {
    // A = 9 January 2023, D = 9 January 2026.

    @Test(
        "Rule 4: D itself is not a breach; D + 1 and later are",
        arguments: [
            ("2026-01-08", false), ("2026-01-09", false), ("2026-01-10", true), ("2027-05-04", true),
        ])
    func breachOnlyAfterDeadline(day: String, breach: Bool) {
        let e = F.evaluate(F.spell("2023-01-09"), on: day)
        #expect(e.deadline == date("2026-01-09"))
        #expect((e.status == .breach) == breach)
        #expect(e.status.isActive)
    }

    @Test("Rule 4: only while still SENCO — an end date after D still to come is a breach, a past one is not")
    func onlyWhileStillSENCO() {
        let spell = F.spell("2023-01-09", ended: "2026-01-20")
        #expect(F.evaluate(spell, on: "2026-01-15").status == .breach)
        // `endedOn` is the last day as SENCO: on it the person is still SENCO, so still in breach.
        #expect(F.evaluate(spell, on: "2026-01-20").status == .breach)
        for day in ["2026-01-21", "2026-02-01"] {
            let left = F.evaluate(spell, on: day)
            #expect(left.status == .leftAfterDeadline)
            #expect(left.status != .breach)
        }
    }

    @Test("Rule 4: a qualifying award dated on or before t ends the breach; one dated after t does not yet")
    func awardDatedOnOrBeforeT() {
        let spell = F.spell(
            "2023-01-09", qualifications: [F.npq(started: "2024-11-25", outcome: .passed, on: "2026-02-02")])
        let before = F.evaluate(spell, on: "2026-02-01")
        #expect(before.status == .breach)
        #expect(before.qualifiedOn == nil)
        let on = F.evaluate(spell, on: "2026-02-02")
        #expect(on.status == .qualified)
        #expect(on.qualifiedOn == date("2026-02-02"))
    }
}

@Suite("Rule 5: the qualifying awards")
struct SENCOQualificationTests {
    // A = 3 June 2024, D = 3 June 2027.

    @Test("Rule 5: NPQ for SENCOs started 1 September 2024 and passed → qualified from the outcome date, not before it")
    func npqPassed() {
        let spell = F.spell(
            "2024-06-03", qualifications: [F.npq(started: "2024-09-01", outcome: .passed, on: "2026-07-15")])
        let dayBefore = F.evaluate(spell, on: "2026-07-14")
        #expect(dayBefore.status != .qualified)
        #expect(dayBefore.qualifiedOn == nil)
        let outcomeDay = F.evaluate(spell, on: "2026-07-15")
        #expect(outcomeDay.status == .qualified)
        #expect(outcomeDay.qualifiedOn == date("2026-07-15"))
        #expect(outcomeDay.deadline == date("2027-06-03"))
        let afterDeadline = F.evaluate(spell, on: "2027-09-01")
        #expect(afterDeadline.status == .qualified)
    }

    @Test("Rule 5: an NPQ for SENCOs started 31 August 2024, before the NPQ era, does not qualify")
    func npqStartedTooEarly() {
        let spell = F.spell(
            "2024-06-03", qualifications: [F.npq(started: "2024-08-31", outcome: .passed, on: "2026-07-15")])
        let e = F.evaluate(spell, on: "2026-08-03")
        #expect(e.status != .qualified)
        #expect(e.qualifiedOn == nil)
    }

    @Test("Rule 5: a failed NPQ for SENCOs outcome does not qualify")
    func npqFailed() {
        let spell = F.spell(
            "2024-06-03", qualifications: [F.npq(started: "2024-11-25", outcome: .failed, on: "2026-09-25")])
        let e = F.evaluate(spell, on: "2026-10-05")
        #expect(e.status != .qualified)
        #expect(e.qualifiedOn == nil)
    }

    // NASENCO cases: A = 6 January 2025, D = 6 January 2028, evaluated after 1 September 2027.

    @Test("Rule 5: NASENCO started 31 August 2024 and completed 31 August 2027 qualifies")
    func nasencoCompletedInTime() {
        let spell = F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-08-31", completed: "2027-08-31")])
        let e = F.evaluate(spell, on: "2027-09-15")
        #expect(e.status == .qualified)
        #expect(e.qualifiedOn == date("2027-08-31"))
        #expect(!e.flags.contains(.nasencoLapsed))
    }

    @Test("Rule 5: NASENCO completed 1 September 2027 does not qualify; flagged nasenco_lapsed")
    func nasencoCompletedTooLate() {
        let spell = F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-08-31", completed: "2027-09-01")])
        for day in ["2027-09-01", "2027-09-15"] {
            let e = F.evaluate(spell, on: day)
            #expect(e.status != .qualified)
            #expect(e.qualifiedOn == nil)
            #expect(e.flags.contains(.nasencoLapsed))
            #expect(!e.flags.contains(.nasencoInProgress))
        }
    }

    @Test("Rule 5: NASENCO started 31 August 2024 counts; one started 1 September 2024 does not qualify as NASENCO")
    func nasencoStartDate() {
        let inTime = F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-08-31", completed: "2026-06-30")])
        #expect(F.evaluate(inTime, on: "2026-07-01").status == .qualified)
        let tooLate = F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-09-01", completed: "2026-06-30")])
        let e = F.evaluate(tooLate, on: "2026-07-01")
        #expect(e.status != .qualified)
        #expect(e.qualifiedOn == nil)
        // Nor is it relied on while in progress.
        let inProgress = F.evaluate(
            F.spell("2025-01-06", qualifications: [F.nasenco(started: "2024-09-01")]), on: "2025-03-03")
        #expect(!inProgress.flags.contains(.nasencoInProgress))
        #expect(inProgress.nasencoDeadline == nil)
    }

    @Test(
        "Rule 5: NPQH, NPQSL and a SEN master's without NASENCO do not qualify",
        arguments: [
            "npqh", "npqsl", "sen-masters",
        ])
    func otherAwards(award: String) {
        let record = QualificationRecord(
            award: award, startedOn: date("2024-09-01"), completedOn: date("2026-06-30"), outcome: .passed,
            outcomeOn: date("2026-06-30"))
        let e = F.evaluate(F.spell("2025-01-06", qualifications: [record]), on: "2026-07-01")
        #expect(e.status != .qualified)
        #expect(e.qualifiedOn == nil)
        #expect(e.inScope)
    }

    @Test("Rule 5: qualified before the appointment is fine")
    func qualifiedBeforeAppointment() {
        let nasenco = F.evaluate(
            F.spell("2025-09-01", qualifications: [F.nasenco(started: "2019-09-02", completed: "2020-07-01")]),
            on: "2025-09-01")
        #expect(nasenco.status == .qualified)
        #expect(nasenco.qualifiedOn == date("2020-07-01"))
        #expect(nasenco.inScope)
        #expect(nasenco.deadline == date("2028-09-01"))
        let npq = F.evaluate(
            F.spell("2027-01-04", qualifications: [F.npq(started: "2024-11-25", outcome: .passed, on: "2026-09-25")]),
            on: "2027-01-04")
        #expect(npq.status == .qualified)
        #expect(npq.qualifiedOn == date("2026-09-25"))
    }

    @Test("Rule 5: with several qualifying awards the earliest day counts")
    func earliestAward() {
        let spell = F.spell(
            "2025-01-06",
            qualifications: [
                F.npq(started: "2025-11-17", outcome: .passed, on: "2027-09-17"),
                F.nasenco(started: "2024-03-01", completed: "2027-06-30"),
            ])
        #expect(F.evaluate(spell, on: "2027-10-01").qualifiedOn == date("2027-06-30"))
    }
}

@Suite("Rule 6: a NASENCO in progress")
struct SENCONASENCOInProgressTests {
    static let inProgress = [F.nasenco(started: "2024-03-01")]

    @Test("Rule 6: NASENCO in progress, D after 31 August 2027 → nasencoDeadline 31 August 2027, enrolled")
    func deadlineAfterNASENCOLimit() {
        let e = F.evaluate(F.spell("2025-01-06", qualifications: Self.inProgress), on: "2025-03-03")
        #expect(e.deadline == date("2028-01-06"))
        #expect(e.nasencoDeadline == date("2027-08-31"))
        #expect(e.flags.contains(.nasencoInProgress))
        #expect(e.status == .enrolled)
        // The NPQ route is still open as a fallback.
        #expect(e.recommendedCohort == "2025a")
    }

    @Test("Rule 6: NASENCO in progress, D before 31 August 2027 → nasencoDeadline is D")
    func deadlineBeforeNASENCOLimit() {
        let e = F.evaluate(F.spell("2024-06-03", qualifications: Self.inProgress), on: "2024-07-01")
        #expect(e.deadline == date("2027-06-03"))
        #expect(e.nasencoDeadline == date("2027-06-03"))
        #expect(e.flags.contains(.nasencoInProgress))
        #expect(e.status == .enrolled)
    }

    @Test("Rule 6: NASENCO in progress and no feasible NPQ cohort left as a fallback → at_risk")
    func noFallback() {
        // D = 6 January 2028: only cohort 2025a (outcome 17 September 2027) can still meet it; it closes 10 October.
        let spell = F.spell("2025-01-06", qualifications: Self.inProgress)
        #expect(F.evaluate(spell, on: "2025-10-10").status == .enrolled)
        let e = F.evaluate(spell, on: "2025-10-11")
        #expect(e.status == .atRisk)
        #expect(e.flags.contains(.nasencoInProgress))
        #expect(e.flags.contains(.noFeasibleCohort))
        #expect(e.recommendedCohort == nil)
        #expect(e.nasencoDeadline == date("2027-08-31"))
    }

    @Test("Rule 6: a NASENCO not completed by 31 August 2027 lapses on 1 September 2027")
    func lapses() {
        let spell = F.spell("2025-01-06", qualifications: Self.inProgress)
        let lastDay = F.evaluate(spell, on: "2027-08-31")
        #expect(lastDay.flags.contains(.nasencoInProgress))
        #expect(!lastDay.flags.contains(.nasencoLapsed))
        let lapsed = F.evaluate(spell, on: "2027-09-01")
        #expect(lapsed.flags.contains(.nasencoLapsed))
        #expect(!lapsed.flags.contains(.nasencoInProgress))
        #expect(lapsed.nasencoDeadline == nil)
        #expect(lapsed.status == .atRisk)
        #expect(lapsed.status != .qualified)
    }
}

@Suite("Rule 7: leaving")
struct SENCOLeavingTests {
    // A = 1 September 2024, D = 1 September 2027.

    @Test("Rule 7: leaving on D → left_before_deadline, no breach")
    func leavingOnDeadline() {
        let e = F.evaluate(F.spell("2024-09-01", ended: "2027-09-01"), on: "2027-10-01")
        #expect(e.status == .leftBeforeDeadline)
        #expect(!e.flags.contains(.endedInBreach))
    }

    @Test("Rule 7: leaving after D → left_after_deadline, flagged ended_in_breach")
    func leavingAfterDeadline() {
        for ended in ["2027-09-02", "2028-03-31"] {
            let e = F.evaluate(F.spell("2024-09-01", ended: ended), on: "2028-04-03")
            #expect(e.status == .leftAfterDeadline)
            #expect(e.flags.contains(.endedInBreach))
        }
    }

    @Test("Rule 7: leaving before D → left_before_deadline and the reminders stop")
    func leavingStopsReminders() {
        let spell = F.spell("2024-09-01", ended: "2026-03-31")
        let e = F.evaluate(spell, on: "2026-04-01")
        #expect(e.status == .leftBeforeDeadline)
        #expect(!e.status.isActive)
        for day in ["2026-04-01", "2026-09-01", "2027-09-02"] {
            #expect(F.evaluate(spell, on: day).status == .leftBeforeDeadline)
            #expect(F.due(spell, on: day).isEmpty)
            #expect(F.nextCheck(spell, on: day) == nil)
        }
    }

    @Test("Rule 7: an end date still to come does not close the spell yet; nextCheck looks again the day after it")
    func futureEnd() {
        let spell = F.spell("2024-09-01", ended: "2027-06-30")
        let e = F.evaluate(spell, on: "2027-06-01")
        #expect(e.status.isActive)
        // The last day as SENCO is 30 June; the spell counts as left from 1 July, when nextCheck looks again.
        #expect(F.nextCheck(spell, on: "2027-06-02") == date("2027-07-01"))
        #expect(F.evaluate(spell, on: "2027-06-30").status.isActive)
        #expect(F.evaluate(spell, on: "2027-07-01").status == .leftBeforeDeadline)
    }

    @Test("Rule 7: leaving on D — still SENCO on D itself, left_before_deadline from D + 1, never a breach")
    func lastDayIsDeadline() {
        let spell = F.spell("2024-09-01", ended: "2027-09-01")
        // On D the person is still SENCO: the spell is active, and D is not yet a breach.
        let onD = F.evaluate(spell, on: "2027-09-01")
        #expect(onD.deadline == date("2027-09-01"))
        #expect(onD.status.isActive)
        #expect(onD.status != .leftBeforeDeadline)
        #expect(onD.status != .breach)
        #expect(!F.due(spell, on: "2027-09-01").contains { $0.kind == .breach })
        #expect(F.nextCheck(spell, on: "2027-09-01") == date("2027-09-02"))
        // From D + 1 the person has left on or before D: no breach, no reminders, nothing more to look at.
        for day in ["2027-09-02", "2027-10-01", "2028-09-01"] {
            let e = F.evaluate(spell, on: day)
            #expect(e.status == .leftBeforeDeadline)
            #expect(!e.flags.contains(.endedInBreach))
            #expect(F.due(spell, on: day).isEmpty)
            #expect(F.nextCheck(spell, on: day) == nil)
        }
    }

    @Test("Rule 7: the length of a left spell still counts as prior service for a later one")
    func leftSpellCountsAsPriorService() {
        // First spell 2024-09-01…2025-08-31: exactly 12 months.
        let first = F.spell("2024-09-01", ended: "2025-08-31")
        #expect(F.evaluate(first, on: "2025-09-01").status == .leftBeforeDeadline)
        let next = F.evaluate(F.spell("2025-10-01", prior: [("2024-09-01", "2025-08-31")]), on: "2025-10-01")
        #expect(next.inScope)
        #expect(next.priorServiceDays == 365)
        #expect(next.deadline == date("2028-10-01"))
        // One day longer and the later spell is exempt.
        let exempt = F.evaluate(F.spell("2025-10-01", prior: [("2024-09-01", "2025-09-01")]), on: "2025-10-01")
        #expect(exempt.status == .exemptPriorService)
    }
}

@Suite("Rule 8: moving school")
struct SENCOMovingSchoolTests {
    @Test("Rule 8: moving school with 8 months' prior service → D from the new appointment, prior_spell_ambiguity")
    func eightMonthsPrior() {
        let e = F.evaluate(F.spell("2024-09-01", prior: [("2024-01-01", "2024-08-31")]), on: "2024-09-01")
        #expect(e.inScope)
        #expect(e.priorServiceDays == 244)
        #expect(e.deadline == date("2027-09-01"))  // not 2027-01-01, three years from the first spell
        #expect(e.flags.contains(.priorSpellAmbiguity))
    }

    @Test("Rule 8: moving school with 2 years' prior service → exempt_prior_service")
    func twoYearsPrior() {
        let e = F.evaluate(F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")]), on: "2024-09-01")
        #expect(e.status == .exemptPriorService)
        #expect(e.priorServiceDays == 731)
        #expect(e.deadline == nil)
        #expect(!e.inScope)
    }

    @Test("Rule 8: without prior service there is no prior_spell_ambiguity")
    func noPriorService() {
        let e = F.evaluate(F.spell("2024-09-01"), on: "2024-09-01")
        #expect(e.priorServiceDays == 0)
        #expect(!e.flags.contains(.priorSpellAmbiguity))
    }
}

@Suite("Rule 9: month-only appointment dates")
struct SENCODatePrecisionTests {
    @Test("Rule 9: a month-only date is taken as the 1st of the month and flagged date_precision_month")
    func monthOnly() {
        let spell = F.spell("2025-03-17", precision: .month)
        #expect(spell.appointmentDay == date("2025-03-01"))
        let e = F.evaluate(spell, on: "2025-03-17")
        #expect(e.deadline == date("2028-03-01"))
        #expect(e.flags.contains(.datePrecisionMonth))
        let exact = F.evaluate(F.spell("2025-03-17"), on: "2025-03-17")
        #expect(exact.deadline == date("2028-03-17"))
        #expect(!exact.flags.contains(.datePrecisionMonth))
    }

    @Test("Rule 9: month-only September 2009 is taken as 1 September 2009 → legacy_pre_2009 and manual_review")
    func monthOnlyScopeStart() {
        let e = F.evaluate(F.spell("2009-09-20", precision: .month), on: "2010-01-04")
        #expect(e.status == .legacyPre2009)
        #expect(e.flags.contains(.manualReview))
        #expect(e.flags.contains(.datePrecisionMonth))
    }

    @Test("Rule 9: month-only February 2024 is 1 February 2024, with no leap-day ambiguity")
    func monthOnlyFebruary() {
        let e = F.evaluate(F.spell("2024-02-29", precision: .month), on: "2024-03-01")
        #expect(e.deadline == date("2027-02-01"))
        #expect(e.alternativeDeadline == nil)
        #expect(!e.flags.contains(.leapDayAmbiguity))
    }
}
