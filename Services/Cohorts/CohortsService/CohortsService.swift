import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq-cohorts`: courses, cohorts with their registration windows, offerings, schedules and milestones.
///
/// - Loads the reference files at start (see ``ReferenceImport``) and takes `cohort.define`, `schedule.define` and
///   `cohort.offering.set` commands, checked by the same rules.
/// - On `application.accepted`, assigns the schedule and publishes `participant.scheduled`; counts acceptances per
///   offering and reports a reached recruitment target.
/// - Sweeps the registration windows on the service's clock.
/// - Answers `cohort.list` and `cohort.calendar`.
public enum CohortsService {
    /// The service's own settings, read from the environment.
    public struct Options: Sendable {
        /// The folder with `courses.json`, `lead-providers.json`, `cohorts.json`, `schedules.json`, `offerings.json`.
        public var referenceDirectory: String
        /// How often the registration windows are checked.
        public var sweepInterval: Duration

        public init(referenceDirectory: String, sweepInterval: Duration = .seconds(60)) {
            self.referenceDirectory = referenceDirectory
            self.sweepInterval = sweepInterval
        }

        /// `NPQ_COHORTS_REFERENCE_DIR` (default `reference/cohorts`) and `NPQ_COHORTS_SWEEP_INTERVAL` (default 60 s).
        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            return Options(
                referenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"),
                sweepInterval: try reader.duration(
                    "NPQ_COHORTS_SWEEP_INTERVAL", default: .seconds(60), range: .milliseconds(10)...(.seconds(3600))))
        }

        /// The variables above, for the README's configuration table.
        public static let documentation: [(name: String, default: String, meaning: String)] = [
            ("NPQ_COHORTS_REFERENCE_DIR", "reference/cohorts", "folder of the cohort reference files, loaded at start"),
            ("NPQ_COHORTS_SWEEP_INTERVAL", "60s", "how often registration windows are checked against the clock"),
        ]
    }

    /// Registers the cohorts service's migrations, start-up import, sweep and handlers on `app`.
    ///
    /// The reference files are read and checked here, so a bad file stops the service before it connects.
    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        let reference = try ReferenceImport.read(directory: options.referenceDirectory)
        app.migrations = CohortsStore.migrations
        app.onStart("cohort reference data") { context in
            let applied = try await ReferenceImport.apply(reference, in: context)
            context.logger.info("cohort reference data loaded", metadata: ["entries_applied": "\(applied)"])
        }
        app.every(options.sweepInterval, name: "registration-windows") { try await RegistrationSweep.run(in: $0) }
        app.on(CohortDefine.self, CohortsHandlers.cohortDefine)
        app.on(ScheduleDefine.self, CohortsHandlers.scheduleDefine)
        app.on(CohortOfferingSet.self, CohortsHandlers.offeringSet)
        app.on(ApplicationAccepted.self, CohortsHandlers.applicationAccepted)
        app.on(CohortList.self, CohortsHandlers.list)
        app.on(CohortCalendar.self, CohortsHandlers.calendar)
    }
}
