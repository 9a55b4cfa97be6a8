import ApplicationsDomain
import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq-eligibility`: decides every application's funding by DfE's policy for its cohort.
///
/// - On `application.received`: looks up the school in the schools register, checks the person's funded
///   acceptances for the course (by TRN when known, else by email; EHCO ≡ ASO), applies the policy version of the
///   cohort with the current reference lists, and publishes `eligibility.assessed`.
/// - On `application.accepted` with a funded place of a funded application: records the funded acceptance, so a
///   later application for the same course is `previously_funded`; `application.rejected` takes it back.
/// - `eligibility.override` (operators): marks an application funded or ineligible by policy, with a reason;
///   audited, and published as a new `eligibility.assessed`.
/// - `eligibility.list.import` (operators): replaces a reference list as a whole with a new version.
/// - `school.register.import` (operators): replaces the schools register with a GIAS extract sent in parts, as a new
///   version, and publishes what changed (`school.register.changed`) for the services that keep a copy.
/// - Learns cohorts' funding modes from `cohort.defined`, seeded at first start from the cohort reference files.
///
/// The policy is read from its file at start. The reference lists and the schools register are kept in the database,
/// versioned; a list file in the reference folder, and the schools file, are imported at start when they differ from
/// the last file imported.
public enum EligibilityService {
    public struct Options: Sendable {
        /// The folder with the reference lists and `policy.json`.
        public var eligibilityDirectory: String
        /// The schools register in GIAS's CSV layout.
        public var schoolsFile: String
        /// The cohort reference files (for the cohorts' funding modes, at first start).
        public var cohortsReferenceDirectory: String
        /// `NPQ_OPERATOR_USERS`: broker users that may override decisions and import lists.
        public var operators: Set<String>

        public init(
            eligibilityDirectory: String, schoolsFile: String, cohortsReferenceDirectory: String,
            operators: Set<String> = ["npq-operator"]
        ) {
            self.eligibilityDirectory = eligibilityDirectory
            self.schoolsFile = schoolsFile
            self.cohortsReferenceDirectory = cohortsReferenceDirectory
            self.operators = operators
        }

        public static func load(environment: [String: String]) throws -> Options {
            let reader = ConfigurationReader(environment: environment)
            let directory = try reader.path("NPQ_ELIGIBILITY_DIR", default: "reference/eligibility")
            return Options(
                eligibilityDirectory: directory,
                schoolsFile: try reader.path("NPQ_SCHOOLS_FILE", default: "\(directory)/schools.csv"),
                cohortsReferenceDirectory: try reader.path("NPQ_COHORTS_REFERENCE_DIR", default: "reference/cohorts"),
                operators: try reader.userList("NPQ_OPERATOR_USERS", default: "npq-operator"))
        }
    }

    /// The schools file (`NPQ_SCHOOLS_FILE`) found at start, already checked.
    struct SchoolsFile: Sendable {
        var schools: [SchoolRecord]
        var sha256: String
        var path: String
    }

    /// A reference list file found in the reference folder at start, already checked.
    struct ListFile: Sendable {
        var list: ReferenceList
        var sha256: String
        var fileName: String
    }

    /// What the decisions are made with, read once at start.
    struct Reference: Sendable {
        var policy: EligibilityPolicy
        /// The schools file; a missing file is fine once a register has been imported.
        var schoolsFile: SchoolsFile?
        var schoolsPath: String
        /// The list files of the reference folder; a missing file is fine once the list has been imported.
        var listFiles: [ReferenceListKind: ListFile]
        var listsDirectory: String
        /// The cohort reference files' cohorts, seeding the funding modes at first start.
        var cohorts: [Cohort]
    }

    public static func configure(_ app: inout ServiceApplication, options: Options) throws {
        let reference = try read(options)
        let handlers = EligibilityHandlers(reference: reference, operators: options.operators)
        app.migrations = EligibilityStore.migrations + EligibilityListStore.migrations + SchoolRegisterStore.migrations
        app.onStart("eligibility reference data") { context in
            try await seed(reference, context)
        }
        app.on(ApplicationReceived.self, handlers.received)
        app.on(ApplicationAccepted.self, handlers.accepted)
        app.on(ApplicationRejected.self, handlers.rejected)
        app.on(EligibilityOverride.self, handlers.override)
        app.on(EligibilityListImport.self, handlers.importList)
        app.on(SchoolRegisterImport.self, handlers.importSchools)
        app.on(CohortDefined.self, handlers.cohortDefined)
    }

    /// Seeds the cohorts at first start, and imports every list file, and the schools file, that changed since it
    /// was last imported.
    static func seed(_ reference: Reference, _ context: TaskContext) async throws {
        let database = context.database
        if !(try await EligibilityListStore.hasCohorts(in: database)) {
            for cohort in reference.cohorts {
                try await EligibilityListStore.saveCohort(
                    cohort.identifier, fundingMode: cohort.fundingMode, in: database)
            }
        }
        for kind in ReferenceListKind.allCases {
            guard let file = reference.listFiles[kind] else {
                guard try await EligibilityListStore.latest(kind, in: database) != nil else {
                    throw EligibilityError(
                        .referenceList, file: "\(reference.listsDirectory)/\(kind.fileName)",
                        "missing, and the \(kind.title) list was never imported: put the file there (a CSV with the "
                            + "column \"\(kind.header)\") or import it with npq eligibility list import")
                }
                continue
            }
            guard try await EligibilityListStore.latestFileHash(kind, in: database) != file.sha256 else { continue }
            let imported = try await EligibilityListStore.replace(
                file.list, sha256: file.sha256, fileName: file.fileName, by: EligibilityListStore.fileImporter,
                at: context.now, in: database)
            context.logger.info(
                "reference list imported from the reference folder",
                metadata: ["list": "\(kind.rawValue)", "version": "\(imported.version)", "count": "\(imported.count)"])
            context.publish(imported)
        }
        try await seedSchools(reference, context)
    }

    /// Imports the schools file as the register's new version when it changed since it was last imported.
    static func seedSchools(_ reference: Reference, _ context: TaskContext) async throws {
        let database = context.database
        guard let file = reference.schoolsFile else {
            guard try await SchoolRegisterStore.latest(in: database) != nil else {
                throw EligibilityError(
                    .schoolsRegister, file: reference.schoolsPath,
                    "cannot be read, and no schools register was ever imported: set NPQ_SCHOOLS_FILE to a GIAS "
                        + "extract or import one with npq reference import schools")
            }
            return
        }
        guard try await SchoolRegisterStore.latestFileHash(in: database) != file.sha256 else { return }
        _ = try await SchoolRegisterUpdate.apply(
            file.schools,
            from: SchoolRegisterUpdate.Source(
                sha256: file.sha256, fileName: URL(fileURLWithPath: file.path).lastPathComponent, importID: nil,
                importedBy: SchoolRegisterStore.fileImporter),
            in: context)
    }

    static func read(_ options: Options) throws -> Reference {
        func contents(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw EligibilityError(.referenceList, file: path, "cannot be read")
            }
            return data
        }
        let directory = options.eligibilityDirectory
        var files: [ReferenceListKind: ListFile] = [:]
        for kind in ReferenceListKind.allCases {
            let path = "\(directory)/\(kind.fileName)"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            files[kind] = ListFile(
                list: try ReferenceList.parse(data, kind: kind, file: path),
                sha256: EligibilityListStore.sha256(data), fileName: kind.fileName)
        }
        let cohorts = try CohortReferenceData.load(
            directory: options.cohortsReferenceDirectory,
            hint: "set NPQ_COHORTS_REFERENCE_DIR to the folder of the cohort reference files"
        ).cohorts
        return Reference(
            policy: try EligibilityPolicy.parse(
                try contents("\(directory)/policy.json"), file: "\(directory)/policy.json"),
            schoolsFile: try FileManager.default.contents(atPath: options.schoolsFile).map { data in
                SchoolsFile(
                    schools: try SchoolRegister.rows(data, file: options.schoolsFile).map(\.school),
                    sha256: EligibilityListStore.sha256(data), path: options.schoolsFile)
            },
            schoolsPath: options.schoolsFile, listFiles: files, listsDirectory: directory, cohorts: cohorts)
    }
}
