import Foundation
import MessageContracts
import SENCODomain

/// `YYYY-MM-DD` as a calendar date; a typo in a test is a crash, not a silent `nil`.
func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

/// What the SENCO tests share: the shipped regulatory parameters, a calendar with one November start a year, and
/// short ways to build spells and evaluate them.
enum SENCOFixtures {
    /// `reference/senco/regulation.json` in the repository, found from this file.
    static let regulationFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "reference/senco/regulation.json")

    /// The shipped parameter set.
    static let parameterSet: RegulatoryParameterSet = {
        do {
            return try RegulatoryParameterSet.parse(try Data(contentsOf: regulationFile))
        } catch {
            fatalError("cannot load \(regulationFile.path): \(error)")
        }
    }()

    /// The version in force today (SI 2024/535).
    static let parameters = parameterSet.inForce(on: date("2026-01-01"))

    /// The NPQ for SENCOs with one November start a year, as in `reference/cohorts/cohorts.json` (2027a is a guess
    /// in the same pattern).
    static let novemberCohorts: [CohortOption] = [
        cohort("2024a", start: "2024-11-25", opens: "2024-05-01", closes: "2024-10-31"),
        cohort("2025a", start: "2025-11-17", opens: "2025-06-02", closes: "2025-10-10"),
        cohort("2026b", start: "2026-11-16", opens: "2026-06-23", closes: "2026-10-09"),
        cohort("2027a", start: "2027-11-15", opens: "2027-06-01", closes: "2027-10-08"),
    ]

    static func cohort(_ id: String, start: String, opens: String, closes: String) -> CohortOption {
        CohortOption(
            cohort: id, startDate: date(start), registrationOpens: date(opens), registrationCloses: date(closes))
    }

    /// A mainstream spell appointed on `appointed`.
    static func spell(
        _ appointed: String, school: SchoolType = .mainstream, precision: DatePrecision = .day, ended: String? = nil,
        prior: [(String, String)] = [], qualifications: [QualificationRecord] = [], enrolment: Enrolment? = nil,
        lowEngagement: Bool = false
    ) -> SENCOSpell {
        SENCOSpell(
            schoolType: school, appointedOn: date(appointed), datePrecision: precision, endedOn: ended.map(date),
            priorService: prior.map { ServicePeriod(from: date($0.0), to: date($0.1)) },
            qualifications: qualifications, enrolment: enrolment, lowEngagement: lowEngagement)
    }

    static func evaluate(
        _ spell: SENCOSpell, on today: String, cohorts: [CohortOption] = novemberCohorts,
        parameters: RegulatoryParameters = parameters
    ) -> SENCOEvaluation {
        SENCODeadline.evaluate(spell, cohorts: cohorts, parameters: parameters, on: date(today))
    }

    /// The reminders due for `spell` on `today`, evaluated first.
    static func due(
        _ spell: SENCOSpell, on today: String, cohorts: [CohortOption] = novemberCohorts
    )
        -> [SENCOReminder]
    {
        let evaluation = evaluate(spell, on: today, cohorts: cohorts)
        return SENCOReminders.due(
            spell, evaluation: evaluation, cohorts: cohorts, parameters: parameters, on: date(today))
    }

    /// The day to look at `spell` again after `today`.
    static func nextCheck(
        _ spell: SENCOSpell, on today: String, cohorts: [CohortOption] = novemberCohorts
    )
        -> CalendarDate?
    {
        let evaluation = evaluate(spell, on: today, cohorts: cohorts)
        return SENCOReminders.nextCheck(
            spell, evaluation: evaluation, cohorts: cohorts, parameters: parameters, on: date(today))
    }

    static func npq(
        started: String, outcome: AssessmentOutcome? = nil, on outcomeOn: String? = nil
    )
        -> QualificationRecord
    {
        QualificationRecord(
            award: "npq-senco", startedOn: date(started), outcome: outcome, outcomeOn: outcomeOn.map(date))
    }

    static func nasenco(started: String, completed: String? = nil) -> QualificationRecord {
        QualificationRecord(award: "nasenco", startedOn: date(started), completedOn: completed.map(date))
    }

    /// An accepted place on a cohort of ``novemberCohorts``.
    static func enrolment(_ cohort: String, accepted: Bool = true, expectedOutcome: String? = nil) -> Enrolment {
        let option = novemberCohorts.first { $0.cohort == cohort }!
        return Enrolment(
            cohort: cohort, courseStart: option.startDate, expectedOutcome: expectedOutcome.map(date),
            accepted: accepted)
    }
}
