import CohortsDomain
import Foundation
import MessageContracts
import SENCODomain
import ServiceRuntime

/// `npq-senco`: SENCO spells per school, their three-year deadline and status, and the reminders of senco.md.
///
/// - Commands from schools: `senco.appointment.record`, `senco.appointment.end`, `senco.qualification.record`.
/// - Learns enrolments from the application flow (`application.submitted`, `application.accepted`,
///   `participant.scheduled`, `participant.outcome.recorded` for `npq-senco`) and the cohort calendar from the
///   cohorts service's events, seeded at first start from the cohort reference files.
/// - A sweep on the service's clock re-evaluates the spells due for a check (an index on `next_check_on`), records
///   status changes and issues each due reminder once.
/// - Answers `senco.status.get` and `senco.overview`.
public enum SENCOService {
    /// The service's own settings.
    public struct Options: Sendable {
        /// The cohort reference files, for the calendar at first start.
        public var cohortsReferenceDirectory: String
        /// `regulation.json`: the regulatory parameters, versioned.
        public var regulationFile: String
        /// How often the sweep looks for spells due for a check.
        public var sweepInterval: Duration
        /// Spells per sweep transaction.
        public var sweepBatch: Int

        public init(
            cohortsReferenceDirectory: String, regulationFile: String, sweepInterval: Duration = .seconds(300),
            sweepBatch: Int = 500
        ) {
            self.cohortsReferenceDirectory = cohortsReferenceDirectory
            self.regulationFile = regulationFile
            self.sweepInterval = sweepInterval
            self.sweepBatch = sweepBatch
        }

        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            return Options(
                cohortsReferenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"),
                regulationFile: try reader.path(
                    "NPQ_SENCO_REGULATION_FILE", default: "reference/senco/regulation.json"),
                sweepInterval: try reader.duration(
                    "NPQ_SENCO_SWEEP_INTERVAL", default: .seconds(300), range: .milliseconds(10)...(.seconds(86_400))))
        }

        public static let documentation: [(name: String, default: String, meaning: String)] = [
            ("NPQ_SENCO_REGULATION_FILE", "reference/senco/regulation.json", "the regulatory parameters, versioned"),
            ("NPQ_SENCO_SWEEP_INTERVAL", "5m", "how often spells due for a check are re-evaluated"),
        ]
    }

    /// Registers migrations, the calendar seed, the sweep and the handlers on `app`.
    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        guard let regulation = FileManager.default.contents(atPath: options.regulationFile) else {
            throw ReferenceFileError(
                file: options.regulationFile, "cannot be read; set NPQ_SENCO_REGULATION_FILE to the regulation file")
        }
        let parameters = try RegulatoryParameterSet.parse(regulation, file: options.regulationFile)
        let calendar = try seedCalendar(directory: options.cohortsReferenceDirectory)
        let tracker = SENCOTracker(parameters: parameters)
        let handlers = SENCOHandlers(tracker: tracker)
        let batch = options.sweepBatch

        app.migrations = SENCOStore.migrations
        app.onStart("senco cohort calendar") { context in
            guard !(try await SENCOStore.hasCohorts(in: context.database)) else { return }
            for (cohort, window) in calendar.windows {
                try await SENCOStore.saveWindow(
                    cohort: cohort, opens: window.opens, closes: window.closes, start: window.start,
                    in: context.database)
            }
            for entry in calendar.schedules {
                try await SENCOStore.saveSchedule(
                    cohort: entry.cohort, schedule: entry.schedule, start: entry.startDate, in: context.database)
            }
        }
        app.every(
            options.sweepInterval, name: "senco-deadlines",
            batches: { context in
                try await sweepBatch(tracker: tracker, limit: batch, in: context) == batch
            })
        app.on(SENCOAppointmentRecord.self, handlers.recordAppointment)
        app.on(SENCOAppointmentEnd.self, handlers.endAppointment)
        app.on(SENCOQualificationRecord.self, handlers.recordQualification)
        app.on(ApplicationSubmitted.self, handlers.applicationSubmitted)
        app.on(ApplicationAccepted.self, handlers.applicationAccepted)
        app.on(ParticipantScheduled.self, handlers.participantScheduled)
        app.on(ParticipantOutcomeRecorded.self, handlers.outcomeRecorded)
        app.on(CohortDefined.self, handlers.cohortDefined)
        app.on(ScheduleDefined.self, handlers.scheduleDefined)
        app.on(CohortRegistrationOpened.self, handlers.registrationOpened)
        app.on(SENCOStatusGet.self, handlers.statusGet)
        app.on(SENCOOverview.self, handlers.overview)
    }

    /// Re-evaluates up to `limit` spells due for a check today (through the index on `next_check_on`) and returns
    /// how many it did.
    package static func sweepBatch(tracker: SENCOTracker, limit: Int, in context: TaskContext) async throws -> Int {
        let day = UKCalendar.date(at: context.now)
        let due = try await SENCOStore.dueSpellIDs(on: day, limit: limit, in: context.database)
        return try await tracker.reevaluateBatch(due, on: day, cause: "daily sweep", in: context)
    }

    /// The leadership calendar of the cohort reference files.
    package static func seedCalendar(
        directory: String
    ) throws -> (
        windows: [String: (opens: CalendarDate, closes: CalendarDate, start: CalendarDate)],
        schedules: [CohortCalendarEntry]
    ) {
        let data = try CohortReferenceData.load(
            directory: directory, hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files")
        var windows: [String: (opens: CalendarDate, closes: CalendarDate, start: CalendarDate)] = [:]
        for cohort in data.cohorts {
            windows[cohort.identifier] = (cohort.registrationOpens, cohort.registrationCloses, cohort.startDate)
        }
        let entries = CohortTimeline.entries(
            cohorts: data.cohorts, schedules: data.schedules, courses: data.courses, on: CalendarDate("2000-01-01")!
        ).filter { $0.courseGroup == .leadership }
        return (windows, entries)
    }
}
