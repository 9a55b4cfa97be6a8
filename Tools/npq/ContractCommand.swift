import ArgumentParser
import Foundation
import MessageContracts

/// `npq contract …`: the message contracts themselves, offline — the AsyncAPI document, one contract's JSON Schema,
/// and the list of every message type.
struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "The message contracts, offline: the AsyncAPI document, JSON Schemas, every message type.",
        subcommands: [AsyncAPI.self, Schema.self, List.self])

    /// `npq contract asyncapi`
    struct AsyncAPI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "asyncapi",
            abstract: "Print the AsyncAPI 3.0 document of every message contract (docs/asyncapi.yaml).",
            discussion: """
                The document is generated from the contracts in MessageContracts: every message with its JSON \
                Schema, headers and golden example; one channel per routing key with its AMQP binding; an \
                operation per command and query (send; a query with its reply) and per event (receive). The same \
                contracts always give the same bytes.

                Exit status with --check: 0 when FILE is the document the contracts give, 1 when it differs (a \
                summary of the differences is printed), 2 when FILE cannot be read.

                Examples:
                  npq contract asyncapi --output docs/asyncapi.yaml
                  npq contract asyncapi --check docs/asyncapi.yaml
                """)

        @Option(name: .shortAndLong, help: "Write the document to this file instead of standard output.")
        var output: String?

        @Option(help: "Compare this file with the document instead of printing it; exit 1 when they differ.")
        var check: String?

        func validate() throws {
            if output != nil, check != nil {
                throw ValidationError("--output and --check cannot be used together")
            }
        }

        func run() throws {
            let document = AsyncAPIDocument()
            let text = document.yaml
            if let check {
                try ContractCommand.check(file: check, against: text)
            } else if let output {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw CLIError("cannot write \(output): \(error.localizedDescription)")
                }
                print(
                    "Wrote \(output): AsyncAPI \(AsyncAPIDocument.asyncAPIVersion), "
                        + "\(document.contracts.count) messages."
                )
            } else {
                print(text, terminator: "")
            }
        }
    }

    /// `npq contract schema TYPE`
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one message type's JSON Schema (draft-07), as golden fixtures show it.",
            discussion: """
                TYPE is a contract name (application.submit; its newest version), a name with its version \
                (application.submit.v1) or a full type name (npq.application.submit.v1), of any kind: command, \
                event, query or reply. `npq contract list` shows them all.
                """)

        @Argument(help: "The message type: application.submit, application.submit.v1 or npq.application.submit.v1.")
        var type: String

        func validate() throws {
            _ = try ContractCommand.contract(named: type)
        }

        func run() throws {
            print(try ContractCommand.contract(named: type).schemaDocument.jsonString(prettyPrinted: true))
        }
    }

    /// `npq contract list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every message type with its kind and what it means.")

        @Option(help: "Only this kind: command, event, query or reply.", transform: parseKind)
        var kind: MessageKind?

        func run() throws {
            let contracts = MessageCatalog.all.filter { kind == nil || $0.kind == kind }
                .sorted { $0.typeName < $1.typeName }
            let rows = contracts.map { [$0.typeName, $0.kind.rawValue, ContractCommand.firstSentence($0.summary)] }
            print(textTable(["TYPE", "KIND", "SUMMARY"], rows))
        }
    }
}

func parseKind(_ text: String) throws -> MessageKind {
    guard let kind = MessageKind(rawValue: text) else {
        throw ValidationError(
            "'\(text)' is not a kind of message; use one of "
                + MessageKind.allCases.map(\.rawValue).joined(separator: ", ")
        )
    }
    return kind
}
