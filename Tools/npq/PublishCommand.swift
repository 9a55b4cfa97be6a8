import AMQP
import ArgumentParser
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq publish TYPE --file FILE [--wait]`: sends one command or query written as JSON, as an integrator would, and
/// reports what came back.
///
/// The body is checked against the contract before anything is sent; the message goes out with the suite's envelope,
/// publisher confirms, the mandatory flag and the broker user as `user_id`, exactly as ``NPQClient`` sends typed
/// payloads.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a command or query from a JSON file, checked against its contract; wait for the answer.",
        discussion: """
            The body is checked against the type's contract first: when it breaks it, every problem is printed \
            with its field path and rule, and nothing is sent. Otherwise it is published to npq.commands with the \
            suite's envelope (message_id, type, correlation_id, CloudEvents headers), publisher confirms and the \
            mandatory flag, as your broker user (user_id).

            TYPE is a contract name (application.submit; the newest version), a name with its version \
            (application.submit.v1) or a full type name (npq.application.submit.v1). Only commands and queries \
            can be published: events belong to the service that owns them, and replies answer queries. \
            --list shows every type that can be published; --example and --schema print a type's example body \
            and JSON Schema.

            A command is published and, once the broker has confirmed it, its message id is printed. With \
            --wait, the tool then waits up to --timeout seconds for its outcome: the service's reply, its \
            message.rejected, or, for a command the service handles without replying, the events the command \
            caused. A query always waits for its reply.

            The answer goes to standard output: its type and its body as indented JSON, or with --json the body \
            alone on one line (without --wait, {"messageID": …, "type": …}). Errors go to standard error.

            Exit status:
              0   published; when waiting, handled (the reply or events printed)
              1   not published, or its fate unknown: broker unreachable, no service
                  queue for the type, connection lost before the confirm, file unreadable
              2   the body breaks the contract: nothing was published
              3   the service refused it (message.rejected: reason, field errors)
              4   published, but nothing came back within --timeout
              64  usage: unknown type, an event or reply type, a bad option

            Examples:
              npq publish application.submit --file application.json --wait
              echo '{"applicationID": "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80"}' \\
                | npq publish application.get --file -
              npq publish cohort.list --file - --json <<< '{"registration": "open"}'
              npq publish application.submit --example > application.json
            """)

    @OptionGroup var broker: BrokerOptions

    @Argument(help: "The command or query: application.submit, application.submit.v1 or npq.application.submit.v1.")
    var type: String?

    @Option(name: .shortAndLong, help: "The JSON body to publish; - reads standard input.")
    var file: String?

    @Flag(help: "Wait for the outcome of a command (a query always waits).")
    var wait = false

    @Flag(help: "Print only the JSON body of the answer, on one line, for scripts.")
    var json = false

    @Option(
        name: .customLong("message-id"),
        help: "Publish with this message id (a UUID) instead of a new one: to resend a message safely.")
    var messageID: String?

    @Flag(help: "List the commands and queries that can be published, and exit.")
    var list = false

    @Flag(help: "Print an example body of TYPE, and exit.")
    var example = false

    @Flag(help: "Print the JSON Schema of TYPE's body, and exit.")
    var schema = false

    /// Exit statuses besides 0, 1 (any other failure) and 64 (usage), documented in the help.
    enum Status {
        /// The body breaks the contract; nothing was published.
        static let invalidBody = ExitCode(2)
        /// The service refused the message with `message.rejected`.
        static let rejected = ExitCode(3)
        /// Published, but no answer within the timeout.
        static let noAnswer = ExitCode(4)
    }

    func validate() throws {
        if list {
            guard type == nil, file == nil, !example, !schema else {
                throw ValidationError("--list takes no TYPE, --file, --example or --schema")
            }
            return
        }
        guard let type else {
            throw ValidationError("give the TYPE to publish, e.g. application.submit; --list shows every type")
        }
        _ = try Self.contract(named: type)
        if example || schema {
            guard file == nil, !(example && schema) else {
                throw ValidationError("--example and --schema print and exit: use one, without --file")
            }
            return
        }
        guard file != nil else {
            throw ValidationError("--file is required: the JSON body to publish, or - to read standard input")
        }
        if let messageID, UUID(uuidString: messageID) == nil {
            throw ValidationError("--message-id must be a UUID, e.g. 0b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93")
        }
        guard broker.timeout > 0 else { throw ValidationError("--timeout must be 1 second or more") }
    }

    func run() async throws {
        if list {
            print(Self.listing())
            return
        }
        let contract = try Self.contract(named: type ?? "")
        if example || schema {
            print((example ? contract.exampleJSON : contract.schemaDocument).jsonString(prettyPrinted: true))
            return
        }
        let body = try Self.checkedBody(file: file ?? "-", contract: contract)
        let waits = wait || contract.kind == .query
        let outcome = try await broker.withClient { client in
            let message = Self.message(
                body: body, contract: contract, client: client, messageID: messageID?.lowercased())
            return try await Self.deliver(
                message, waitingFor: waits ? .seconds(broker.timeout) : nil, connection: client.connection,
                onPublished: { id in if !json { Self.printLine(Self.publishedLine(contract, messageID: id)) } })
        }
        try report(outcome, contract: contract)
    }

    /// Prints what came back and exits with its status.
    private func report(_ outcome: Delivery, contract: any MessageContract.Type) throws {
        switch outcome {
        case .confirmed(let id):
            print(json ? Self.confirmationJSON(contract, messageID: id) : Self.confirmationHint(contract))
        case .answered(let answer):
            print(json ? Self.answerJSON(answer) : Self.answerText(answer))
            if case .rejected = answer { throw Status.rejected }
        case .unanswered(let id, let watchedEvents):
            let text = Self.noAnswerText(
                contract, messageID: id, timeout: broker.timeout, watchedEvents: watchedEvents)
            FileHandle.standardError.write(Data("Error: \(text)\n".utf8))
            throw Status.noAnswer
        }
    }

    /// Prints one line and flushes standard output, so that it is seen before a long wait.
    static func printLine(_ line: String) {
        print(line)
        fflush(nil)
    }
}
