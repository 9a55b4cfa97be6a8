import Foundation
import MessageContracts
import SENCODomain
import Testing

private typealias F = SENCOFixtures

@Suite("Rule 13: regulatory parameters are data, versioned")
struct SENCORegulatoryParameterTests {
    @Test("Rule 13: the shipped file holds every parameter senco.md names")
    func shippedValues() throws {
        let p = F.parameters
        #expect(p.version == "SI-2024-535")
        #expect(p.scopeStart == date("2009-09-01"))
        #expect(p.maxPriorServiceMonths == 12)
        #expect(p.deadlineYears == 3)
        #expect(p.inScopeSchoolTypes == [.mainstream, .maintainedNursery])
        #expect(p.monthsToOutcome == 22)
        #expect(p.resitBufferMonths == 6)
        #expect(p.atRiskMarginMonths == 3)
        #expect(p.qualifyingAwards.map(\.award) == ["npq-senco", "nasenco"])
        let npq = try #require(p.qualifyingAwards.first { $0.award == "npq-senco" })
        #expect(npq.startedOnOrAfter == date("2024-09-01"))
        #expect(npq.startedBefore == nil)
        #expect(npq.qualifiesOn == .passedOutcome)
        let nasenco = try #require(p.nasenco)
        #expect(nasenco.award == "nasenco")
        #expect(nasenco.startedBefore == date("2024-09-01"))
        #expect(nasenco.completedBefore == date("2027-09-01"))
        #expect(nasenco.qualifiesOn == .completion)
        let r = p.reminders
        #expect(r.registrationClosingDays == [42, 14, 3])
        #expect(r.deadlineCountdownMonths == [12, 6, 3, 1])
        #expect(r.deadlineCountdownDays == [7])
        #expect(r.governorsFromMonths == 6)
        #expect(r.nasencoReminderDates == ["2027-03-01", "2027-06-01", "2027-08-01"].map(date))
        #expect(r.outcomeOverdueDays == 14)
        #expect(r.routineGapDays == 7)
    }

    @Test("Rule 13: an amendment is a new version, in force from its day; the earliest applies before any")
    func versions() throws {
        var amended = F.parameters
        amended.version = "SI-2030-1"
        amended.effectiveFrom = date("2030-01-01")
        amended.maxPriorServiceMonths = 24
        let document = ["versions": [F.parameters, amended]]
        let set = try RegulatoryParameterSet.parse(try JSONEncoder().encode(document))
        #expect(set.versions.count == 2)
        #expect(set.inForce(on: date("2029-12-31")).version == "SI-2024-535")
        #expect(set.inForce(on: date("2030-01-01")).version == "SI-2030-1")
        #expect(set.inForce(on: date("2030-01-01")).maxPriorServiceMonths == 24)
        #expect(set.inForce(on: date("2020-01-01")).version == "SI-2024-535")
        // The order of the file does not matter.
        let reversed = RegulatoryParameterSet(versions: [amended, F.parameters])
        #expect(reversed.inForce(on: date("2031-06-01")).version == "SI-2030-1")
        #expect(reversed.inForce(on: date("2026-06-01")).version == "SI-2024-535")
    }

    @Test("Rule 13: a file without versions, or with a version name twice, is refused")
    func refusedFiles() throws {
        #expect(throws: ReferenceFileError.self) {
            try RegulatoryParameterSet.parse(Data(#"{"versions": []}"#.utf8))
        }
        let twice = try JSONEncoder().encode(["versions": [F.parameters, F.parameters]])
        let error = #expect(throws: ReferenceFileError.self) { try RegulatoryParameterSet.parse(twice) }
        #expect(error?.message.contains("unique") == true)
    }

    @Test("Rule 13: a changed value changes the result with no code change")
    func valuesDriveTheRules() {
        let spell = F.spell("2024-09-01")
        var p = F.parameters

        p.deadlineYears = 4
        #expect(F.evaluate(spell, on: "2024-09-01", parameters: p).deadline == date("2028-09-01"))

        p = F.parameters
        p.maxPriorServiceMonths = 24
        let twoYears = F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")])
        #expect(F.evaluate(twoYears, on: "2024-09-01").status == .exemptPriorService)
        #expect(F.evaluate(twoYears, on: "2024-09-01", parameters: p).inScope)

        p = F.parameters
        p.scopeStart = date("2014-09-01")
        #expect(F.evaluate(F.spell("2012-01-09"), on: "2014-01-06").inScope)
        #expect(F.evaluate(F.spell("2012-01-09"), on: "2014-01-06", parameters: p).status == .legacyPre2009)

        p = F.parameters
        p.inScopeSchoolTypes.append(.special)
        #expect(F.evaluate(F.spell("2024-09-01", school: .special), on: "2024-09-01", parameters: p).inScope)

        // 20 months to outcome make cohort 2026b (16 Nov 2026 + 20 months = 16 Jul 2028) feasible for D = 1 Sep 2028.
        p = F.parameters
        p.monthsToOutcome = 20
        let autumn = F.spell("2025-09-01")
        #expect(F.evaluate(autumn, on: "2025-10-11").recommendedCohort == nil)
        #expect(F.evaluate(autumn, on: "2025-10-11", parameters: p).recommendedCohort == "2026b")

        // A 12-month resit buffer leaves no safe cohort for D = 1 Sep 2028.
        p = F.parameters
        p.resitBufferMonths = 12
        #expect(F.evaluate(autumn, on: "2025-09-01").lastSafeCohort == "2025a")
        #expect(F.evaluate(autumn, on: "2025-09-01", parameters: p).lastSafeCohort == nil)

        // A new qualifying award.
        p = F.parameters
        var award = p.qualifyingAwards[0]
        award.award = "npq-senco-2030"
        p.qualifyingAwards.append(award)
        let newAward = F.spell(
            "2025-09-01",
            qualifications: [
                QualificationRecord(
                    award: "npq-senco-2030", startedOn: date("2025-11-17"), outcome: .passed,
                    outcomeOn: date("2027-09-17"))
            ])
        #expect(F.evaluate(newAward, on: "2027-10-01").status != .qualified)
        #expect(F.evaluate(newAward, on: "2027-10-01", parameters: p).status == .qualified)

        // The reminder schedule too: a countdown step 24 months before D.
        p = F.parameters
        p.reminders.deadlineCountdownMonths = [24]
        let e = F.evaluate(spell, on: "2025-09-01", parameters: p)
        let due = SENCOReminders.due(
            spell, evaluation: e, cohorts: F.novemberCohorts, parameters: p, on: date("2025-09-01"))
        #expect(due.filter { $0.kind == .deadlineCountdown }.map(\.key) == ["deadline_countdown:24m"])
    }
}

extension SENCORegulatoryParameterTests {
    @Test("Rule 13: with a 4-year deadline, 29 February has a 29 February anniversary and no alternative reading")
    func leapDayWithOtherDeadlineYears() {
        var p = F.parameters
        p.deadlineYears = 4
        let e = F.evaluate(F.spell("2024-02-29"), on: "2024-03-01", parameters: p)
        #expect(e.deadline == date("2028-02-29"))
        #expect(e.alternativeDeadline == nil)
        #expect(!e.flags.contains(.leapDayAmbiguity))
        // With the shipped 3 years the anniversary year has no 29 February: the alternative reading and the flag.
        let shipped = F.evaluate(F.spell("2024-02-29"), on: "2024-03-01")
        #expect(shipped.deadline == date("2027-02-28"))
        #expect(shipped.alternativeDeadline == date("2027-03-01"))
        #expect(shipped.flags.contains(.leapDayAmbiguity))
    }
}

@Suite("Rule 14: audit — what the domain contributes")
struct SENCOAuditTests {
    @Test("Rule 14: an evaluation depends only on its inputs, keeps its reason and round-trips through JSON")
    func reproducible() throws {
        let spell = F.spell("2024-02-29", prior: [("2023-01-09", "2023-07-31")], enrolment: F.enrolment("2024a"))
        let first = F.evaluate(spell, on: "2025-01-06")
        let second = F.evaluate(spell, on: "2025-01-06")
        #expect(first == second)
        #expect(first.reason.contains("2027-02-28"))
        #expect(first.reason.contains("2024a"))
        let decoded = try JSONDecoder().decode(SENCOEvaluation.self, from: try JSONEncoder().encode(first))
        #expect(decoded == first)
        let spellBack = try JSONDecoder().decode(SENCOSpell.self, from: try JSONEncoder().encode(spell))
        #expect(spellBack == spell)
    }

    @Test(
        "Rule 14: every status has a reason in plain English",
        arguments: [
            (F.spell("2024-09-01", school: .pru), "2024-09-01"),
            (F.spell("2009-09-01"), "2024-09-01"),
            (F.spell("2024-09-01", prior: [("2022-09-01", "2024-08-31")]), "2024-09-01"),
            (F.spell("2024-09-01", ended: "2026-03-31"), "2026-04-01"),
            (F.spell("2024-09-01"), "2027-09-02"),
            (F.spell("2025-05-01"), "2025-10-11"),
            (F.spell("2025-09-01", enrolment: F.enrolment("2025a")), "2025-12-01"),
            (F.spell("2025-09-01"), "2025-09-01"),
        ])
    func reasons(spell: SENCOSpell, day: String) {
        let e = F.evaluate(spell, on: day)
        #expect(!e.reason.isEmpty)
        #expect(e.reason.first?.isUppercase == true)
        #expect(e.reason.hasSuffix("."))
    }

    @Test("Rule 14: each parameter version names its source and the day it applies from")
    func parameterProvenance() {
        for version in F.parameterSet.versions {
            #expect(!version.version.isEmpty)
            #expect(version.source.contains("49"))
            #expect(version.effectiveFrom <= date("2026-01-01"))
        }
        #expect(F.parameters.source.contains("SI 2024/535"))
    }
}
