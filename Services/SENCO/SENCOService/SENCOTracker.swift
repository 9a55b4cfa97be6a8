import Foundation
import MessageContracts
import SENCODomain
import SQLKit
import ServiceRuntime

/// Evaluates a spell with everything the service knows about it, records what changed, and issues the reminders
/// that are due — the one path every command, event and sweep goes through.
package struct SENCOTracker: Sendable {
    package let parameters: RegulatoryParameterSet

    package init(parameters: RegulatoryParameterSet) { self.parameters = parameters }

    /// Everything about a spell's person that its evaluation needs besides the spell itself.
    struct Related: Sendable {
        /// The person's other spells.
        var spells: [SENCOStore.SpellRow]
        /// Applications for the NPQ for SENCOs that match the spell.
        var applications: [SENCOStore.ApplicationRow]
        /// Keys of the reminders already sent or passed over.
        var reminderKeys: Set<String>
    }

    /// Reads what ``Related`` holds for one spell.
    func related(_ row: SENCOStore.SpellRow, in database: any SQLDatabase) async throws -> Related {
        Related(
            spells: try await SENCOStore.spells(personKey: row.personKey, in: database),
            applications: try await SENCOStore.applications(for: row, in: database),
            reminderKeys: try await SENCOStore.reminderKeys(row.spellID, in: database))
    }

    /// The domain's view of a stored spell on `day`: its own inputs, the person's earlier spells at relevant schools
    /// as prior service (rule 1 counts only those), and the NPQ for SENCOs applications that match it — less a
    /// pending one whose cohort has already started without accepting it.
    func domainSpell(
        _ row: SENCOStore.SpellRow, _ related: Related, parameters p: RegulatoryParameters, on day: CalendarDate
    ) -> SENCOSpell {
        var prior = row.priorService
        for other in related.spells
        where other.spellID != row.spellID && other.appointedOn < row.appointedOn
            && p.inScopeSchoolTypes.contains(other.schoolType)
        {
            if let ended = other.endedOn, ended < row.appointedOn {
                prior.append(ServicePeriod(from: other.appointedOn, to: ended))
            }
        }
        var qualifications = row.qualifications
        let applications = related.applications.filter { application in
            application.accepted || application.outcome != nil || (application.courseStart.map { $0 >= day } ?? true)
        }
        for application in applications {
            if let outcome = application.outcome, let on = application.outcomeOn {
                qualifications.append(
                    QualificationRecord(
                        award: "npq-senco", startedOn: application.courseStart ?? on, outcome: outcome, outcomeOn: on))
            }
        }
        // The enrolment: the latest accepted application without a pass, else the latest pending one.
        let open = applications.filter { $0.outcome != .passed }
        let chosen = open.last(where: \.accepted) ?? open.last
        let enrolment = chosen.flatMap { application -> Enrolment? in
            guard let start = application.courseStart else { return nil }
            return Enrolment(
                cohort: application.cohort, courseStart: start, expectedOutcome: application.expectedOutcome,
                accepted: application.accepted)
        }
        return SENCOSpell(
            schoolType: row.schoolType, appointedOn: row.appointedOn, datePrecision: row.datePrecision,
            endedOn: row.endedOn, priorService: prior, qualifications: qualifications, enrolment: enrolment)
    }

    /// Evaluates without storing anything (for queries about another day).
    func evaluate(
        _ row: SENCOStore.SpellRow, on day: CalendarDate, in database: any SQLDatabase
    ) async throws
        -> SENCOEvaluation
    {
        SENCODeadline.evaluate(
            domainSpell(row, try await related(row, in: database), parameters: parameters.inForce(on: day), on: day),
            cohorts: try await SENCOStore.cohortOptions(in: database), parameters: parameters.inForce(on: day), on: day)
    }

    /// Re-evaluates the spell on `day`: stores the evaluation, appends a status change to the history and publishes
    /// it, issues due reminders once each, and sets the next day to look at the spell.
    @discardableResult
    package func reevaluate(
        _ spellID: UUID, on day: CalendarDate, cause: String, in context: some TransactionContext
    ) async throws -> SENCOEvaluation? {
        let database = context.database
        guard let row = try await SENCOStore.spell(spellID, in: database) else { return nil }
        return try await reevaluate(
            row, related: try await related(row, in: database),
            calendar: try await SENCOStore.cohortOptions(in: database),
            on: day, cause: cause, in: context)
    }

    /// Re-evaluates up to a batch of spells due on `day`, reading what they need in a few queries rather than a
    /// few per spell; returns how many it re-evaluated.
    package func reevaluateBatch(
        _ spellIDs: [UUID], on day: CalendarDate, cause: String, in context: some TransactionContext
    )
        async throws -> Int
    {
        let database = context.database
        let rows = try await SENCOStore.spells(ids: spellIDs, in: database)
        let unreadable = Set(spellIDs).subtracting(rows.map(\.spellID))
        if !unreadable.isEmpty {
            // Not stuck at the head of every batch: looked at again tomorrow, and reported.
            context.logger.error(
                "spells cannot be read; put off until tomorrow",
                metadata: ["spells": "\(unreadable.map { $0.uuidString.lowercased() }.sorted())"])
            try await SENCOStore.postpone(Array(unreadable), to: day.adding(days: 1), in: database)
        }
        let calendar = try await SENCOStore.cohortOptions(in: database)
        let others = Dictionary(
            grouping: try await SENCOStore.spells(personKeys: Set(rows.map(\.personKey)), in: database),
            by: \.personKey)
        let applications = try await SENCOStore.applications(
            trns: Set(rows.compactMap(\.person.trn)), schools: Set(rows.map(\.schoolURN)), in: database)
        let reminders = try await SENCOStore.reminderKeys(Set(spellIDs), in: database)
        var writes = SENCOStore.Writes()
        for row in rows {
            let related = Related(
                spells: others[row.personKey] ?? [],
                applications: applications.filter { SENCOStore.application($0, matches: row) },
                reminderKeys: reminders[row.spellID] ?? [])
            decide(row, related: related, calendar: calendar, on: day, cause: cause, in: context, writes: &writes)
        }
        try await SENCOStore.apply(writes, at: context.now, in: database)
        return rows.count
    }

    /// Evaluates `row` with what it needs already read, and records and publishes what follows.
    @discardableResult
    func reevaluate(
        _ row: SENCOStore.SpellRow, related: Related, calendar cohorts: [CohortOption], on day: CalendarDate,
        cause: String, in context: some TransactionContext
    ) async throws -> SENCOEvaluation {
        var writes = SENCOStore.Writes()
        let evaluation = decide(
            row, related: related, calendar: cohorts, on: day, cause: cause, in: context, writes: &writes)
        try await SENCOStore.apply(writes, at: context.now, in: context.database)
        return evaluation
    }

    /// Evaluates `row`, queues the events that follow in `context`, and adds the rows to write to `writes`: the
    /// status change for the history, the reminders sent or passed over, the evaluation and the next day to check.
    @discardableResult
    func decide(
        _ row: SENCOStore.SpellRow, related: Related, calendar cohorts: [CohortOption], on day: CalendarDate,
        cause: String, in context: some TransactionContext, writes: inout SENCOStore.Writes
    ) -> SENCOEvaluation {
        let spellID = row.spellID
        let p = parameters.inForce(on: day)
        let spell = domainSpell(row, related, parameters: p, on: day)
        let evaluation = SENCODeadline.evaluate(spell, cohorts: cohorts, parameters: p, on: day)

        if row.evaluation == nil || row.status != evaluation.status {
            let change = SENCOStatusChange(
                from: row.evaluation == nil ? nil : row.status, to: evaluation.status, on: day,
                reason: evaluation.reason, cause: cause)
            writes.history.append((spellID, change))
            context.publish(
                SENCOStatusChanged(
                    spellID: spellID, schoolURN: row.schoolURN, change: change, deadline: evaluation.deadline,
                    changedAt: context.now))
        }

        let due = SENCOReminders.due(spell, evaluation: evaluation, cohorts: cohorts, parameters: p, on: day)
        let sent = related.reminderKeys
        let choice = SENCOReminders.select(due, sent: sent, lastRoutineOn: row.lastRoutineOn, parameters: p, on: day)
        var lastRoutineOn = row.lastRoutineOn
        for reminder in choice.passOver {
            writes.reminders.append((spellID, reminder, "passed_over"))
        }
        for reminder in choice.send {
            writes.reminders.append((spellID, reminder, "sent"))
            if reminder.kind.isRoutine { lastRoutineOn = day }
            context.publish(
                reminderEvent(reminder, row: row, evaluation: evaluation, cohorts: cohorts, at: context.now))
        }
        // A routine reminder held back by the weekly limit is looked at again when the week is over.
        let handled = sent.union((choice.send + choice.passOver).map(\.key))
        let waiting = due.contains { !handled.contains($0.key) }
        var next = SENCOReminders.nextCheck(spell, evaluation: evaluation, cohorts: cohorts, parameters: p, on: day)
        if waiting, let last = lastRoutineOn {
            let retry = max(last.adding(days: p.reminders.routineGapDays), day.adding(days: 1))
            next = min(next ?? retry, retry)
        }
        writes.evaluations.append(
            .init(spellID: spellID, evaluation: evaluation, day: day, nextCheck: next, lastRoutineOn: lastRoutineOn))
        return evaluation
    }

    /// The `senco.reminder.due` event for a reminder, with an id derived from the spell and the reminder's key.
    func reminderEvent(
        _ reminder: SENCOReminder, row: SENCOStore.SpellRow, evaluation: SENCOEvaluation, cohorts: [CohortOption],
        at time: Date
    ) -> SENCOReminderDue {
        let id = DerivedMessageID.make(
            from: "\(row.spellID.uuidString.lowercased()) \(reminder.key)", purpose: "senco reminder")
        return SENCOReminderDue(
            reminderID: UUID(uuidString: id)!, spellID: row.spellID, schoolURN: row.schoolURN, kind: reminder.kind,
            recipients: reminder.recipients, dueOn: reminder.dueOn,
            facts: SENCOReminderFacts(
                personName: row.person.name, status: evaluation.status, deadline: evaluation.deadline,
                alternativeDeadline: evaluation.alternativeDeadline, nasencoDeadline: evaluation.nasencoDeadline,
                expectedOutcome: evaluation.expectedOutcome, recommendedCohort: evaluation.recommendedCohort,
                lastSafeCohort: evaluation.lastSafeCohort, cohort: reminder.cohort,
                registrationCloses: reminder.cohort.flatMap { cohort in
                    cohorts.first { $0.cohort == cohort }?.registrationCloses
                }),
            issuedAt: time)
    }

    /// The spell as replies and events describe it.
    func status(
        _ row: SENCOStore.SpellRow, _ evaluation: SENCOEvaluation, history: [SENCOStatusChange]
    )
        -> SENCOSpellStatus
    {
        SENCOSpellStatus(
            spellID: row.spellID, schoolURN: row.schoolURN, person: row.person,
            appointedOn: row.datePrecision == .month
                ? CalendarDate(year: row.appointedOn.year, month: row.appointedOn.month, day: 1)! : row.appointedOn,
            datePrecision: row.datePrecision, endedOn: row.endedOn, inScope: evaluation.inScope,
            status: evaluation.status, deadline: evaluation.deadline,
            alternativeDeadline: evaluation.alternativeDeadline,
            nasencoDeadline: evaluation.nasencoDeadline, expectedOutcome: evaluation.expectedOutcome,
            recommendedCohort: evaluation.recommendedCohort, lastSafeCohort: evaluation.lastSafeCohort,
            flags: evaluation.flags, reason: evaluation.reason, history: history)
    }
}
