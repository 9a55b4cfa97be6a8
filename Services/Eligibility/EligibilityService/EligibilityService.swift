import ApplicationsDomain
import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq-eligibility`: decides every application's funding by DfE's policy for its cohort.
///
/// - On `application.received`: looks up the school in the schools register, checks the person's funded
///   acceptances for the course (EHCO ≡ ASO), applies the policy version of the cohort with the reference lists, and
///   publishes `eligibility.assessed`.
/// - On `application.accepted` with a funded place of an eligible application: records the funded acceptance, so a
///   later application for the same course is `previously_funded`.
/// - `eligibility.override`: an operator's decision, with a reason, recorded and published.
///
/// The policy, the reference lists and the schools register are read from files at start.
public enum EligibilityService {
    public struct Options: Sendable {
        /// The folder with the reference lists and `policy.json`.
        public var eligibilityDirectory: String
        /// The schools register in GIAS's CSV layout.
        public var schoolsFile: String
        /// The cohort reference files (for the cohorts' funding modes).
        public var cohortsReferenceDirectory: String

        public init(eligibilityDirectory: String, schoolsFile: String, cohortsReferenceDirectory: String) {
            self.eligibilityDirectory = eligibilityDirectory
            self.schoolsFile = schoolsFile
            self.cohortsReferenceDirectory = cohortsReferenceDirectory
        }

        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            let directory = try reader.path("NPQ_ELIGIBILITY_DIR", default: "reference/eligibility")
            return Options(
                eligibilityDirectory: directory,
                schoolsFile: try reader.path("NPQ_SCHOOLS_FILE", default: "\(directory)/schools.csv"),
                cohortsReferenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"))
        }
    }

    /// What the decisions are made with, read once at start.
    struct Reference: Sendable {
        var policy: EligibilityPolicy
        var lists: EligibilityLists
        var schools: SchoolRegister
        var fundingModes: [String: FundingMode]
    }

    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        let reference = try read(options)
        let handlers = EligibilityHandlers(reference: reference)
        app.migrations = EligibilityStore.migrations
        app.on(ApplicationReceived.self, handlers.received)
        app.on(ApplicationAccepted.self, handlers.accepted)
        app.on(ApplicationRejected.self, handlers.rejected)
        app.on(EligibilityOverride.self, handlers.override)
    }

    static func read(_ options: Options) throws -> Reference {
        func contents(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw EligibilityError(.referenceList, file: path, "cannot be read")
            }
            return data
        }
        let directory = options.eligibilityDirectory
        var files: [ReferenceListKind: Data] = [:]
        for kind in ReferenceListKind.allCases {
            files[kind] = FileManager.default.contents(atPath: "\(directory)/\(kind.fileName)")
        }
        let cohorts = try CohortReferenceData.load(
            directory: options.cohortsReferenceDirectory,
            hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files"
        ).cohorts
        return Reference(
            policy: try EligibilityPolicy.parse(
                try contents("\(directory)/policy.json"), file: "\(directory)/policy.json"),
            lists: try EligibilityLists.parse(files, directory: directory),
            schools: try SchoolRegister.parse(try contents(options.schoolsFile), file: options.schoolsFile),
            fundingModes: Dictionary(cohorts.map { ($0.identifier, $0.fundingMode) }, uniquingKeysWith: { a, _ in a }))
    }
}
