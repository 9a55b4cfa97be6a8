import CohortsDomain
import Foundation
import MessageContracts
import SENCODomain
import SQLKit
import ServiceRuntime

/// The SENCO service's message handlers: load, decide with the domain, store, publish.
struct SENCOHandlers: Sendable {
    let tracker: SENCOTracker

    static let sencoCourse = "npq-senco"

    func today(_ context: HandlerContext) -> CalendarDate { UKCalendar.date(at: context.now) }

    // MARK: - Commands from schools

    func recordAppointment(_ message: IncomingMessage<SENCOAppointmentRecord>, _ context: HandlerContext) async throws {
        let command = message.payload
        let (appointed, precision) = try Self.appointmentDate(command.appointedOn, precision: command.datePrecision)
        var errors: [FieldError] = []
        for (index, period) in (command.priorService ?? []).enumerated() {
            if period.to < period.from {
                errors.append(
                    FieldError(
                        field: "priorService[\(index)].to", rule: "after_from",
                        message: "priorService[\(index)] ends on \(period.to), before it starts on \(period.from)"))
            }
            if period.to >= appointed {
                errors.append(
                    FieldError(
                        field: "priorService[\(index)].to", rule: "before_appointment",
                        message: "earlier SENCO service must end before this appointment on \(appointed)"))
            }
        }
        let horizon = today(context).adding(days: Self.appointmentHorizonDays)
        if appointed > horizon {
            errors.append(
                FieldError(
                    field: "appointedOn", rule: "not_too_far_ahead",
                    message:
                        "appointedOn \(appointed) is more than \(Self.appointmentHorizonDays) days ahead; record an appointment when it is known, up to a year ahead"
                ))
        }
        errors += Self.check(command.qualifications ?? [], field: "qualifications", today: today(context))
        guard errors.isEmpty else {
            throw MessageRejection(
                .invalidFields, detail: errors.map(\.message).joined(separator: "; "), fieldErrors: errors)
        }
        let database = context.database
        let key = SENCOStore.personKey(trn: command.person.trn, email: command.person.email)
        // The same appointment, or a correction of the person's open spell at this school (another date, a TRN
        // added later): updated, never a second spell.
        var existing = try await SENCOStore.spell(
            schoolURN: command.schoolURN, personKey: key, appointedOn: appointed, in: database)
        if existing == nil {
            existing = try await SENCOStore.openSpell(
                schoolURN: command.schoolURN, trn: command.person.trn, email: command.person.email, in: database)
        }
        let row = SENCOStore.SpellRow(
            spellID: existing?.spellID ?? UUID(), schoolURN: command.schoolURN, personKey: key, person: command.person,
            schoolType: command.schoolType, appointedOn: appointed, datePrecision: precision,
            endedOn: existing?.endedOn,
            // Absent lists keep what is stored; qualifications recorded since (senco.qualification.record) stay.
            priorService: command.priorService.map { $0.map { ServicePeriod(from: $0.from, to: $0.to) } }
                ?? existing?.priorService ?? [],
            qualifications: Self.merged(
                existing?.qualifications ?? [], (command.qualifications ?? []).map(Self.record)),
            status: existing?.status ?? .notEnrolled,
            evaluation: existing?.evaluation, lastRoutineOn: existing?.lastRoutineOn)
        if existing == nil {
            try await SENCOStore.insert(row, on: today(context), at: context.now, in: database)
        } else {
            try await SENCOStore.updateInputs(row, at: context.now, in: database)
        }
        try await SENCOStore.recordInput(
            kind: "appointment", spellID: row.spellID, applicationID: nil, source: Self.source(message),
            detail: "recorded appointment on \(appointed) (\(precision.rawValue))", at: context.now, in: database)
        try await reevaluateOthers(of: row, cause: message.envelope.type, context)
        guard
            let evaluation = try await tracker.reevaluate(
                row.spellID, on: today(context), cause: message.envelope.type, in: context),
            let stored = try await SENCOStore.spell(row.spellID, in: database)
        else { return }
        let status = tracker.status(
            stored, evaluation, history: try await SENCOStore.history(row.spellID, in: database))
        let tracked = SENCODeadlineTracked(spell: status, trackedAt: context.now)
        context.publish(tracked)
        context.reply(tracked)
        // On recording an appointment: head and SENCO are told the status, deadline and cohorts.
        if evaluation.status.isActive, let deadline = evaluation.deadline {
            let reminder = SENCOReminder(
                kind: .appointmentRecorded, key: "appointment_recorded:\(appointed)", dueOn: today(context),
                recipients: [.head, .senco])
            if !(try await SENCOStore.reminderKeys(row.spellID, in: database)).contains(reminder.key) {
                try await SENCOStore.record(
                    reminder, spellID: row.spellID, state: "sent", at: context.now, in: database)
                context.publish(
                    tracker.reminderEvent(
                        reminder, row: stored, evaluation: evaluation,
                        cohorts: try await SENCOStore.cohortOptions(in: database), at: context.now))
                context.logger.debug("appointment reminder issued", metadata: ["deadline": "\(deadline)"])
            }
        }
    }

    func endAppointment(_ message: IncomingMessage<SENCOAppointmentEnd>, _ context: HandlerContext) async throws {
        let command = message.payload
        let database = context.database
        guard command.person.trn != nil || command.person.email != nil else {
            throw MessageRejection.field("person.trn", rule: "required", "give the person's trn, or their email")
        }
        guard
            let spell = try await SENCOStore.spells(of: command.person, in: database)
                .first(where: { $0.appointedOn <= command.endedOn })
        else {
            throw MessageRejection.field(
                "person", rule: "known_spell",
                "no SENCO appointment on or before \(command.endedOn) is recorded for this person at school \(command.person.schoolURN)"
            )
        }
        var row = spell
        row.endedOn = command.endedOn
        try await SENCOStore.updateInputs(row, at: context.now, in: database)
        try await SENCOStore.recordInput(
            kind: "appointment ended", spellID: row.spellID, applicationID: nil, source: Self.source(message),
            detail: "ended on \(command.endedOn)", at: context.now, in: database)
        try await tracker.reevaluate(row.spellID, on: today(context), cause: message.envelope.type, in: context)
        // The spell's length is prior service for the person's later spells (rules 7 and 8).
        try await reevaluateOthers(of: row, cause: message.envelope.type, context)
    }

    func recordQualification(
        _ message: IncomingMessage<SENCOQualificationRecord>, _ context: HandlerContext
    )
        async throws
    {
        let command = message.payload
        let errors = Self.check([command.qualification], field: "qualification", today: today(context))
        guard errors.isEmpty else {
            throw MessageRejection(
                .invalidFields, detail: errors.map(\.message).joined(separator: "; "), fieldErrors: errors)
        }
        let database = context.database
        guard let spell = try await SENCOStore.spells(of: command.person, in: database).first else {
            throw MessageRejection.field(
                "person", rule: "known_spell",
                "no SENCO appointment is recorded for this person at school \(command.person.schoolURN)")
        }
        let record = Self.record(command.qualification)
        // A qualification is the person's: every spell of theirs learns of it.
        for var row in try await SENCOStore.spells(personKey: spell.personKey, in: database)
        where !row.qualifications.contains(record) {
            row.qualifications.append(record)
            try await SENCOStore.updateInputs(row, at: context.now, in: database)
            try await SENCOStore.recordInput(
                kind: "qualification", spellID: row.spellID, applicationID: nil, source: Self.source(message),
                detail: "\(record.award) recorded", at: context.now, in: database)
            try await tracker.reevaluate(row.spellID, on: today(context), cause: message.envelope.type, in: context)
        }
    }

    /// Re-evaluates the person's other spells, whose prior service a change to this one may alter.
    private func reevaluateOthers(of row: SENCOStore.SpellRow, cause: String, _ context: HandlerContext) async throws {
        for other in try await SENCOStore.spells(personKey: row.personKey, in: context.database)
        where other.spellID != row.spellID {
            try await tracker.reevaluate(other.spellID, on: today(context), cause: cause, in: context)
        }
    }

    // MARK: - The application flow

    func applicationSubmitted(_ message: IncomingMessage<ApplicationSubmitted>, _ context: HandlerContext) async throws
    {
        let event = message.payload
        guard event.course == Self.sencoCourse else { return }
        let database = context.database
        let options = try await SENCOStore.cohortOptions(in: database).filter { $0.cohort == event.cohort }
        var application =
            try await SENCOStore.application(event.applicationID, in: database)
            ?? SENCOStore.ApplicationRow(
                applicationID: event.applicationID, trn: event.applicant.trn, email: event.applicant.email.lowercased(),
                schoolURN: event.schoolURN, cohort: event.cohort, accepted: false, courseStart: nil,
                expectedOutcome: nil, outcome: nil, outcomeOn: nil)
        // The submission is what says who applied from where (an acceptance seen first knows only the TRN).
        application.email = event.applicant.email.lowercased()
        application.schoolURN = event.schoolURN ?? application.schoolURN
        application.trn = event.applicant.trn ?? application.trn
        application.courseStart = application.courseStart ?? options.first?.startDate
        try await applyApplication(application, kind: "application submitted", message: message, context)
    }

    /// An acceptance of an application this service has not seen submitted (it was down, or the submission is in a
    /// retry tier) is kept by its TRN; without a TRN it cannot be matched until the submission arrives.
    func applicationAccepted(_ message: IncomingMessage<ApplicationAccepted>, _ context: HandlerContext) async throws {
        let event = message.payload
        guard event.course == Self.sencoCourse else { return }
        let database = context.database
        let known = try await SENCOStore.application(event.applicationID, in: database)
        guard
            var application = known
                ?? event.trn.map({ trn in
                    SENCOStore.ApplicationRow(
                        applicationID: event.applicationID, trn: trn, email: "", schoolURN: nil, cohort: event.cohort,
                        accepted: true, courseStart: nil, expectedOutcome: nil, outcome: nil, outcomeOn: nil)
                })
        else {
            throw NotKnownYet.application(event.applicationID)
        }
        if application.cohort != event.cohort || application.courseStart == nil {
            // A new cohort (after a deferral, say) starts on its own date.
            application.courseStart = try await SENCOStore.cohortOptions(in: database)
                .first { $0.cohort == event.cohort }?.startDate
            application.expectedOutcome = nil
        }
        application.accepted = true
        application.cohort = event.cohort
        try await applyApplication(application, kind: "application accepted", message: message, context)
    }

    func participantScheduled(_ message: IncomingMessage<ParticipantScheduled>, _ context: HandlerContext) async throws
    {
        let event = message.payload
        guard event.course == Self.sencoCourse else { return }
        guard var application = try await SENCOStore.application(event.applicationID, in: context.database) else {
            throw NotKnownYet.application(event.applicationID)
        }
        application.accepted = true
        application.cohort = event.cohort
        application.courseStart = event.startDate
        application.expectedOutcome = event.expectedOutcomeDate
        try await applyApplication(application, kind: "participant scheduled", message: message, context)
    }

    func outcomeRecorded(
        _ message: IncomingMessage<ParticipantOutcomeRecorded>, _ context: HandlerContext
    )
        async throws
    {
        let event = message.payload
        guard event.course == Self.sencoCourse else { return }
        guard
            var application = try await SENCOStore.application(event.applicationID, in: context.database)
                ?? event.trn.map({ trn in
                    SENCOStore.ApplicationRow(
                        applicationID: event.applicationID, trn: trn, email: "", schoolURN: nil,
                        cohort: "unknown", accepted: true, courseStart: nil, expectedOutcome: nil, outcome: nil,
                        outcomeOn: nil)
                })
        else {
            throw NotKnownYet.application(event.applicationID)
        }
        application.outcome = AssessmentOutcome(rawValue: event.outcome)
        application.outcomeOn = event.completedOn
        try await applyApplication(application, kind: "outcome recorded", message: message, context)
    }

    private func applyApplication<M>(
        _ application: SENCOStore.ApplicationRow, kind: String, message: IncomingMessage<M>, _ context: HandlerContext
    ) async throws {
        let database = context.database
        try await SENCOStore.save(application, at: context.now, in: database)
        try await SENCOStore.recordInput(
            kind: kind, spellID: nil, applicationID: application.applicationID, source: Self.source(message),
            detail: "cohort \(application.cohort)", at: context.now, in: database)
        for spellID in try await SENCOStore.spellIDs(matching: application, in: database) {
            try await tracker.reevaluate(spellID, on: today(context), cause: message.envelope.type, in: context)
        }
    }

    // MARK: - The cohort calendar

    func cohortDefined(_ message: IncomingMessage<CohortDefined>, _ context: HandlerContext) async throws {
        let cohort = message.payload.cohort
        try await SENCOStore.saveWindow(
            cohort: cohort.cohort, opens: cohort.registrationOpens, closes: cohort.registrationCloses,
            start: cohort.startDate, in: context.database)
        try await SENCOStore.recheckActiveSpells(on: today(context), in: context.database)
    }

    func scheduleDefined(_ message: IncomingMessage<ScheduleDefined>, _ context: HandlerContext) async throws {
        let schedule = message.payload.schedule
        guard schedule.courseGroup == .leadership,
            let start = schedule.milestones.first(where: { $0.declarationType == .started })?.date
        else { return }
        try await SENCOStore.saveSchedule(
            cohort: schedule.cohort, schedule: schedule.schedule, start: start, in: context.database)
        try await SENCOStore.recheckActiveSpells(on: today(context), in: context.database)
    }

    func registrationOpened(
        _ message: IncomingMessage<CohortRegistrationOpened>, _ context: HandlerContext
    )
        async throws
    {
        let cohort = message.payload.cohort
        try await SENCOStore.saveWindow(
            cohort: cohort.cohort, opens: cohort.registrationOpens, closes: cohort.registrationCloses,
            start: cohort.startDate, in: context.database)
        try await SENCOStore.recheckActiveSpells(on: today(context), in: context.database)
    }

    // MARK: - Queries

    func statusGet(_ message: IncomingMessage<SENCOStatusGet>, _ context: HandlerContext) async throws {
        let query = message.payload
        let day = query.on ?? today(context)
        var spells: [SENCOSpellStatus] = []
        for row in try await SENCOStore.spells(schoolURN: query.schoolURN, in: context.database) {
            let evaluation = try await tracker.evaluate(row, on: day, in: context.database)
            spells.append(
                tracker.status(
                    row, evaluation, history: try await SENCOStore.history(row.spellID, in: context.database)))
        }
        context.reply(SENCOStatusResult(schoolURN: query.schoolURN, on: day, spells: spells))
    }

    func overview(_ message: IncomingMessage<SENCOOverview>, _ context: HandlerContext) async throws {
        let limit = message.payload.limit ?? 100
        let database = context.database
        context.reply(
            SENCOOverviewResult(
                on: today(context), counts: try await SENCOStore.counts(in: database),
                atRisk: try await SENCOStore.summaries(status: .atRisk, limit: limit, in: database),
                inBreach: try await SENCOStore.summaries(status: .breach, limit: limit, in: database)))
    }

    // MARK: - Helpers

    /// The appointment date: `YYYY-MM-DD`, or `YYYY-MM` (precision month, the 1st assumed).
    static func appointmentDate(_ text: String, precision: DatePrecision?) throws -> (CalendarDate, DatePrecision) {
        if text.count == 7, let date = CalendarDate(text + "-01") { return (date, .month) }
        guard let date = CalendarDate(text) else {
            throw MessageRejection.field(
                "appointedOn", rule: "date", "appointedOn '\(text)' is not a real date (YYYY-MM-DD, or YYYY-MM)")
        }
        return precision == .month ? (CalendarDate(year: date.year, month: date.month, day: 1)!, .month) : (date, .day)
    }

    /// How far ahead an appointment may be recorded.
    static let appointmentHorizonDays = 366

    /// Checks qualifications: completed after started, an outcome with its day, and no completion or outcome dated
    /// after `today` (a result not yet given).
    static func check(_ qualifications: [SENCOQualification], field: String, today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, qualification) in qualifications.enumerated() {
            let path = qualifications.count == 1 && field == "qualification" ? field : "\(field)[\(index)]"
            for (name, day) in [("completedOn", qualification.completedOn), ("outcomeOn", qualification.outcomeOn)] {
                if let day, day > today {
                    errors.append(
                        FieldError(
                            field: "\(path).\(name)", rule: "not_in_future",
                            message: "\(path).\(name) is \(day), after today (\(today)); record it once it has happened"
                        ))
                }
            }
            if let started = qualification.startedOn, let completed = qualification.completedOn, completed < started {
                errors.append(
                    FieldError(
                        field: "\(path).completedOn", rule: "after_start",
                        message: "\(path) is completed on \(completed), before it started on \(started)"))
            }
            if qualification.outcome != nil && qualification.outcomeOn == nil {
                errors.append(
                    FieldError(
                        field: "\(path).outcomeOn", rule: "required_with_outcome",
                        message: "\(path) has an outcome but no outcomeOn"))
            }
        }
        return errors
    }

    /// `stored` with the records of `recorded` it does not hold yet.
    static func merged(_ stored: [QualificationRecord], _ recorded: [QualificationRecord]) -> [QualificationRecord] {
        stored + recorded.filter { !stored.contains($0) }
    }

    static func record(_ qualification: SENCOQualification) -> QualificationRecord {
        QualificationRecord(
            award: qualification.award, startedOn: qualification.startedOn, completedOn: qualification.completedOn,
            outcome: qualification.outcome.flatMap(AssessmentOutcome.init), outcomeOn: qualification.outcomeOn)
    }

    /// Where an input came from, for the audit trail: type, message id and the broker user.
    static func source<M>(_ message: IncomingMessage<M>) -> String {
        "\(message.envelope.type) \(message.envelope.messageID) from \(message.publisher ?? "unknown")"
    }
}
