import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import SchoolRegisterCopy
import ServiceRuntime

/// `npq-applications`: applications, their approval and training state machines and history.
///
/// - `application.submit` (a registration front end): checked against the cohort reference data (course, cohort
///   open for registration, the provider's offering) and the answers the funding decision needs; stored and
///   announced as `application.received`. Once `eligibility.assessed` arrives, `application.submitted` follows with
///   the funding outcome.
/// - `application.accept|reject|defer|resume|withdraw|outcome.record` (lead providers): only the provider the
///   application names, as the broker-validated user maps to it, may act; every rule of applications.md applies.
/// - `interest.register` (a registration front end): expressions of interest in a course; when a cohort offering it
///   opens (`cohort.registration.opened`), each person is told once with `interest.registration.opened`.
/// - `application.expire` (operators): rejects a closed cohort's pending applications as `registration_expired`.
/// - A changed funding decision (an operator's override) is kept in the history and announced as
///   `application.funding.changed`.
/// - Learns courses, cohorts, offerings and schedules from the cohorts service's events, seeded at first start from
///   the reference files; and the schools register from npq-eligibility's `school.register.changed`, seeded at first
///   start from `NPQ_SCHOOLS_FILE`.
public enum ApplicationsService {
    public struct Options: Sendable {
        public var cohortsReferenceDirectory: String
        /// `NPQ_LEAD_PROVIDER_USERS`: `user=provider` pairs beyond the `npq-lp-<provider>` convention.
        public var leadProviderUsers: String?
        /// `NPQ_APPLICATIONS_READERS`: broker users (operators) that may read every application.
        public var readers: Set<String>
        /// `NPQ_SCHOOLS_FILE`: the schools register (GIAS layout) a named URN must be in, and open; it seeds the copy
        /// of the register at first start, which npq-eligibility's events keep up to date from then on.
        public var schoolsFile: String
        /// `NPQ_OPERATOR_USERS`: broker users that may expire a cohort's pending applications.
        public var operators: Set<String>
        /// `NPQ_ELIGIBILITY_DIR`: the folder of the funding policy (`policy.json`), to check at submission that the
        /// rules can decide the answers.
        public var eligibilityDirectory: String

        public init(
            cohortsReferenceDirectory: String, leadProviderUsers: String? = nil,
            readers: Set<String> = ["npq-operator"],
            schoolsFile: String = "reference/eligibility/schools.csv", operators: Set<String> = ["npq-operator"],
            eligibilityDirectory: String = "reference/eligibility"
        ) {
            self.operators = operators
            self.eligibilityDirectory = eligibilityDirectory
            self.schoolsFile = schoolsFile
            self.cohortsReferenceDirectory = cohortsReferenceDirectory
            self.leadProviderUsers = leadProviderUsers
            self.readers = readers
        }

        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            return Options(
                cohortsReferenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"),
                leadProviderUsers: try reader.string("NPQ_LEAD_PROVIDER_USERS"),
                readers: try reader.userList("NPQ_APPLICATIONS_READERS", default: "npq-operator"),
                schoolsFile: try reader.path("NPQ_SCHOOLS_FILE", default: "reference/eligibility/schools.csv"),
                operators: try reader.userList("NPQ_OPERATOR_USERS", default: "npq-operator"),
                eligibilityDirectory: try reader.path("NPQ_ELIGIBILITY_DIR", default: "reference/eligibility"))
        }
    }

    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        let providers: LeadProviderUsers
        do {
            providers = try LeadProviderUsers(parsing: options.leadProviderUsers)
        } catch {
            throw ConfigurationError(
                code: .invalidValue, variable: "NPQ_LEAD_PROVIDER_USERS", value: options.leadProviderUsers,
                rule: "must be user=provider pairs separated by commas (\(error))")
        }
        let reference = try readReference(directory: options.cohortsReferenceDirectory)
        // Only a first start needs the file; a missing one is refused then, when the copy is empty.
        let schools = try FileManager.default.contents(atPath: options.schoolsFile).map {
            try SchoolRegister.rows($0, file: options.schoolsFile).map(\.school)
        }
        let policyFile = "\(options.eligibilityDirectory)/policy.json"
        guard let policyData = FileManager.default.contents(atPath: policyFile) else {
            throw EligibilityError(.policyFile, file: policyFile, "cannot be read; set NPQ_ELIGIBILITY_DIR")
        }
        let handlers = ApplicationsHandlers(
            providers: providers, readers: options.readers, operators: options.operators,
            policy: try EligibilityPolicy.parse(policyData, file: policyFile))
        app.migrations = ApplicationsStore.migrations + [SchoolRegisterCopy.migration(version: 103)]
        app.onStart("applications reference data") { context in
            let database = context.database
            if try await SchoolRegisterCopy.isEmpty(in: database) {
                guard let schools else {
                    throw EligibilityError(
                        .schoolsRegister, file: options.schoolsFile,
                        "cannot be read, and the service has no copy of the schools register yet; set NPQ_SCHOOLS_FILE")
                }
                try await SchoolRegisterCopy.seed(schools, in: database)
            }
            for course in reference.courses {
                try await ApplicationsStore.saveCourse(
                    course.identifier, group: course.group, hidden: course.hidden, in: database)
            }
            // Cohorts, offerings and schedules come from the cohorts service's events once running; the files only
            // seed a first start.
            guard !(try await ApplicationsStore.hasReferenceData(in: database)) else { return }
            for cohort in reference.cohorts {
                try await ApplicationsStore.saveCohort(
                    cohort.identifier, fundingMode: cohort.fundingMode, opens: cohort.registrationOpens,
                    closes: cohort.registrationCloses, in: database)
            }
            for offering in reference.offerings {
                try await ApplicationsStore.saveOffering(
                    cohort: offering.cohort, course: offering.course, leadProvider: offering.leadProvider,
                    offered: offering.offered, in: database)
            }
            for schedule in reference.schedules {
                try await ApplicationsStore.saveSchedule(
                    cohort: schedule.cohort, schedule: schedule.identifier, group: schedule.courseGroup, in: database)
            }
        }
        app.on(ApplicationSubmit.self, handlers.submit)
        app.on(EligibilityAssessed.self, handlers.eligibilityAssessed)
        app.on(ApplicationAccept.self, handlers.accept)
        app.on(ApplicationReject.self, handlers.reject)
        app.on(ApplicationDefer.self, handlers.deferTraining)
        app.on(ApplicationResume.self, handlers.resume)
        app.on(ApplicationWithdraw.self, handlers.withdraw)
        app.on(ApplicationOutcomeRecord.self, handlers.recordOutcome)
        app.on(ApplicationGet.self, handlers.get)
        app.on(ApplicationList.self, handlers.list)
        app.on(CohortDefined.self, handlers.cohortDefined)
        app.on(CohortOfferingUpdated.self, handlers.offeringUpdated)
        app.on(ScheduleDefined.self, handlers.scheduleDefined)
        app.on(InterestRegister.self, handlers.registerInterest)
        app.on(CohortRegistrationOpened.self, handlers.registrationOpened)
        app.on(ApplicationExpire.self, handlers.expire)
        app.on(ParticipantScheduled.self, handlers.participantScheduled)
        app.on(SchoolRegisterChanged.self, SchoolRegisterCopy.changed)
    }

    /// The cohort reference files.
    static func readReference(directory: String) throws -> CohortReferenceData {
        try CohortReferenceData.load(
            directory: directory, hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files")
    }
}
