import ArgumentParser

/// `npq`: the suite's command-line tool for operators and integrators.
@main
struct NPQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npq",
        abstract: "Operate and query the NPQ suite over its message broker.",
        discussion: """
            Connects to the broker in NPQ_AMQP_URL (or --amqp-url); NPQ_AMQP_CA_FILE, NPQ_AMQP_CERT_FILE and \
            NPQ_AMQP_KEY_FILE configure amqps:// as they do for the services.
            """,
        subcommands: [
            CohortCommand.self, SENCOCommand.self, EligibilityCommand.self, PublishCommand.self, ContractCommand.self,
            ReferenceCommand.self, ParkedCommand.self, StatusCommand.self,
        ])
}
