import ArgumentParser
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq parked …`: the messages a service set aside, with why; replay them once the cause is mended, or purge them.
///
/// Every service keeps its parked messages in its own database and answers these for itself, over the broker.
struct ParkedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parked",
        abstract: "Inspect, replay and purge the messages a service set aside (parked), with their rejection reasons.",
        discussion: """
            A service parks a message it refuses (malformed, breaking a rule, from a user not allowed to send it) or \
            cannot handle after its retries. Mend the cause — import the missing reference data, correct the \
            service's configuration — then replay: the message is handled again with its original id, publisher and \
            routing key, and parked again if it is still refused. Operators only (NPQ_OPERATOR_USERS).
            """,
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    /// Which service to ask, checked against the suite's services.
    struct ServiceOption: ParsableArguments {
        @Option(name: .shortAndLong, help: "The service: \(KnownServices.names.joined(separator: ", ")).")
        var service: String

        func validate() throws {
            try KnownServices.check(service)
        }
    }

    /// Ids, or `--all` with filters: which parked messages a replay or purge takes.
    struct SelectionOptions: ParsableArguments {
        @Argument(help: "The parked messages' ids (see npq parked list).")
        var messageIDs: [String] = []

        @Flag(help: "Every parked message that matches --reason and --type (a replay takes 1,000 at a time).")
        var all = false

        @Option(help: "With --all: only those refused for this reason (\(Self.reasons)).")
        var reason: RejectionReason?

        @Option(help: "With --all: only those of this message type, e.g. application.accept.")
        var type: String?

        static var reasons: String { RejectionReason.allCases.map(\.rawValue).joined(separator: ", ") }

        func validate() throws {
            if all == !messageIDs.isEmpty {
                throw ValidationError("give the parked messages' ids, or --all (not both)")
            }
            if !all, reason != nil || type != nil {
                throw ValidationError("--reason and --type go with --all; with ids, the ids alone decide")
            }
            if messageIDs.count > ParkedSelection.maxMessageIDs {
                throw ValidationError("at most \(ParkedSelection.maxMessageIDs) ids at once; use --all with filters")
            }
        }

        var selection: ParkedSelection {
            all
                ? ParkedSelection(all: true, reason: reason, type: type.map(ParkedCommand.typeName))
                : ParkedSelection(messageIDs: messageIDs)
        }
    }

    /// `npq parked list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a service's parked messages, newest first: id, when, type, reason, publisher, detail.")

        @OptionGroup var service: ServiceOption
        @OptionGroup var broker: BrokerOptions

        @Option(help: "Only those refused for this reason (\(SelectionOptions.reasons)).")
        var reason: RejectionReason?

        @Option(help: "Only those of this message type, e.g. application.accept.")
        var type: String?

        @Flag(help: "Those replayed (and not parked again) instead of those parked.")
        var replayed = false

        @Flag(name: .customLong("include-replayed"), help: "Both those parked and those replayed.")
        var includeReplayed = false

        @Option(help: "At most this many, 1 to \(ParkedList.maxLimit).")
        var limit = 50

        @Option(help: "Skip this many of the newest (paging).")
        var offset = 0

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func validate() throws {
            guard (1...ParkedList.maxLimit).contains(limit) else {
                throw ValidationError("--limit must be 1 to \(ParkedList.maxLimit)")
            }
            guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
        }

        func run() async throws {
            let query = ParkedList(
                service: service.service, status: replayed ? .replayed : nil, reason: reason,
                type: type.map(ParkedCommand.typeName), limit: limit, offset: offset,
                all: includeReplayed ? true : nil)
            let result = try await broker.withClient { client in
                try await client.ask(query, expecting: ParkedListResult.self, timeout: .seconds(broker.timeout))
            }
            print(json ? ParkedOutput.json(result) : ParkedOutput.table(result, offset: offset))
        }
    }

    /// `npq parked show`
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one parked message in full: its rejection, field errors, headers and body.")

        @OptionGroup var service: ServiceOption
        @OptionGroup var broker: BrokerOptions

        @Argument(help: "The parked message's id.")
        var messageID: String

        @Flag(help: "Print only the body (decoded from base64 when it is not text).")
        var body = false

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            let query = ParkedShow(service: service.service, messageID: messageID)
            let result = try await broker.withClient { client in
                try await client.ask(query, expecting: ParkedShowResult.self, timeout: .seconds(broker.timeout))
            }
            guard let message = result.message else {
                throw CLIError(
                    "\(service.service) has no parked message \(messageID) (npq parked list --service "
                        + "\(service.service) shows those it has)")
            }
            if json {
                print(ParkedOutput.json(result))
            } else if body {
                if message.bodyEncoding == .utf8, let text = message.body {
                    print(text, terminator: "")
                } else {
                    try FileHandle.standardOutput.write(contentsOf: ParkedOutput.bodyBytes(message))
                }
            } else {
                print(ParkedOutput.details(message))
            }
        }
    }

    /// `npq parked replay`
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send parked messages back to their service, to be handled again as first published.",
            discussion: """
                Mend the cause first. Exits 1 when some ids were not replayed (not found, already replayed, or too \
                large to have been kept whole).
                """)

        @OptionGroup var service: ServiceOption
        @OptionGroup var selection: SelectionOptions
        @OptionGroup var broker: BrokerOptions

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            let command = ParkedReplay(service: service.service, selection: selection.selection)
            let result = try await broker.withClient { client in
                try await client.ask(command, expecting: ParkedReplayed.self, timeout: .seconds(broker.timeout))
            }
            print(json ? ParkedOutput.json(result) : ParkedOutput.summary(result))
            if !(result.notFound.isEmpty && result.notParked.isEmpty && result.notReplayable.isEmpty) {
                throw ExitCode.failure
            }
        }
    }

    /// `npq parked purge`
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete parked messages for good (hostile input, test leftovers); --all needs --yes.")

        @OptionGroup var service: ServiceOption
        @OptionGroup var selection: SelectionOptions
        @OptionGroup var broker: BrokerOptions

        @Flag(help: "Confirm deleting with --all.")
        var yes = false

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func validate() throws {
            if selection.all && !yes {
                throw ValidationError(
                    "--all deletes every matching parked message of \(service.service) for good; add --yes to confirm")
            }
        }

        func run() async throws {
            let command = ParkedPurge(service: service.service, selection: selection.selection)
            let result = try await broker.withClient { client in
                try await client.ask(command, expecting: ParkedPurged.self, timeout: .seconds(broker.timeout))
            }
            print(json ? ParkedOutput.json(result) : ParkedOutput.summary(result))
            if !result.notFound.isEmpty { throw ExitCode.failure }
        }
    }
}

extension ParkedCommand {
    /// The full type name of a message type as a person types it (`application.accept`), or the text as given when
    /// the catalog has no such type (a parked message may well have an unknown type).
    static func typeName(_ text: String) -> String {
        MessageCatalog.contract(named: text)?.typeName ?? text.trimmingCharacters(in: .whitespaces)
    }
}

extension RejectionReason: ExpressibleByArgument {}
