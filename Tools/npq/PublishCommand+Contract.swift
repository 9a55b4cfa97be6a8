import ArgumentParser
import MessageContracts

extension PublishCommand {
    /// The command or query `text` names — `application.submit` (its newest version), `application.submit.v1` or
    /// `npq.application.submit.v1` — refusing unknown names (with the closest publishable ones) and events or replies
    /// (which only services send).
    static func contract(named text: String) throws -> any MessageContract.Type {
        guard let contract = MessageCatalog.contract(named: text) else {
            throw ValidationError(unknownTypeMessage(text, bare: MessageCatalog.bareName(text)))
        }
        switch contract.kind {
        case .command, .query:
            return contract
        case .event:
            throw ValidationError(
                "\(contract.typeName) is an event: events state what a service has done, and only the service that "
                    + "owns them publishes them. Publish a command or query instead (--list shows them); to follow "
                    + "events, bind a queue of your own to \(Topology.eventsExchange).")
        case .reply:
            throw ValidationError(
                "\(contract.typeName) is a reply: a service sends it to the reply_to of a query. Publish the query "
                    + "instead (--list shows them).")
        }
    }

    /// The commands and queries that can be published, newest versions only, sorted by name.
    static var publishable: [any MessageContract.Type] {
        let all = MessageCatalog.contracts(ofKind: .command) + MessageCatalog.contracts(ofKind: .query)
        return all.sorted { ($0.name, $0.version) < ($1.name, $1.version) }
    }

    /// `--list`: every command and query with its kind and summary.
    static func listing() -> String {
        let rows = publishable.map { [$0.name, "v\($0.version)", $0.kind.rawValue, firstSentence($0.summary)] }
        return textTable(["TYPE", "VERSION", "KIND", "WHAT IT DOES"], rows)
    }

    /// The summary's first sentence, so that the list stays one line a type.
    private static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }

    /// What to say about a type the catalog lacks: the closest commands and queries, and where to see them all.
    private static func unknownTypeMessage(_ text: String, bare: String) -> String {
        let name = MessageType(typeName: MessageType.typeNamePrefix + bare)?.name ?? bare
        let close = closestNames(to: name)
        var message = "there is no message type '\(text)'."
        if let versioned = MessageType(typeName: MessageType.typeNamePrefix + bare),
            MessageCatalog.all.contains(where: { $0.name == versioned.name })
        {
            let versions = MessageCatalog.all.filter { $0.name == versioned.name }.map { "v\($0.version)" }.sorted()
            message =
                "\(versioned.name) has no version \(versioned.version) (it has \(versions.joined(separator: ", ")))."
        } else if !close.isEmpty {
            message += " Did you mean \(close.joined(separator: ", "))?"
        }
        return message + " `npq publish --list` shows every command and query."
    }

    /// Up to five names of commands and queries close to `name`.
    static func closestNames(to name: String) -> [String] {
        NameSuggestions.closest(to: name, among: publishable.map { $0.name })
    }
}
