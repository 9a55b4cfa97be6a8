import ArgumentParser

/// `npq reference …`: the reference data the services decide with (cohorts, eligibility lists, the schools
/// register), kept up to date by operators.
struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Reference data: cohorts and schedules, eligibility lists, the GIAS schools register.",
        subcommands: [ReferenceImportCommand.self])
}
