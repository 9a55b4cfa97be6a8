import ArgumentParser

/// `npq reference import KIND …`: checks reference files here, then has the service that owns them apply them over
/// the broker.
struct ReferenceImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import reference data into the running suite from files.",
        discussion: """
            Kinds of reference data, and the service that applies them:
              cohorts      cohorts, schedules and offerings (the cohort
                           reference files) → npq-cohorts
              eligibility  one funding reference list (PP50 schools, PP50 FE,
                           RISE, childminders, …) as CSV → npq-eligibility
              schools      the GIAS schools register ("all establishment
                           data" CSV) → npq-eligibility, which passes it on
                           to npq-applications and npq-notifications

            Every file is checked here first, and a file that breaks a rule is refused naming the file, line or \
            entry, field and rule, before anything is sent. --dry-run stops after that check. Only broker users \
            the services trust as operators (NPQ_OPERATOR_USERS, the npq-operator role) may import.

            Examples:
              npq reference import cohorts reference/cohorts
              npq reference import eligibility pp50_schools pp50-schools-2026.csv
              npq reference import schools edubasealldata20260901.csv

            Run `npq reference import KIND --help` for each kind's options and exit statuses. \
            docs/reference-data.md describes each kind in full.
            """,
        subcommands: [Cohorts.self, Eligibility.self, Schools.self])

    /// Exit statuses of the imports besides 0, 1 (any other failure) and 64 (usage), as `npq publish` uses them.
    enum Status {
        /// A file breaks a rule; nothing was sent.
        static let invalidFile = ExitCode(2)
        /// The service refused something (or it was skipped because what it depends on was refused).
        static let refused = ExitCode(3)
        /// Something was sent, but its outcome was not seen within the timeout.
        static let noAnswer = ExitCode(4)
    }
}
