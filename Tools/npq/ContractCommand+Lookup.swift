import ArgumentParser
import MessageContracts

extension ContractCommand {
    /// The contract `text` names, of any kind — `application.submit` (its newest version), `application.submit.v1`
    /// or `npq.application.submit.v1` — refusing an unknown name with the closest ones.
    static func contract(named text: String) throws -> any MessageContract.Type {
        guard let contract = MessageCatalog.contract(named: text) else {
            throw ValidationError(unknownTypeMessage(text, bare: MessageCatalog.bareName(text)))
        }
        return contract
    }

    /// What to say about a type the catalog lacks: the versions it has, or the closest names.
    private static func unknownTypeMessage(_ text: String, bare: String) -> String {
        let versioned = MessageType(typeName: MessageType.typeNamePrefix + bare)
        let name = versioned?.name ?? bare
        var message = "there is no message type '\(text)'."
        if let versioned, MessageCatalog.all.contains(where: { $0.name == versioned.name }) {
            let versions = MessageCatalog.all.filter { $0.name == versioned.name }.map { "v\($0.version)" }.sorted()
            message =
                "\(versioned.name) has no version \(versioned.version) (it has \(versions.joined(separator: ", ")))."
        } else {
            let close = closestNames(to: name)
            if !close.isEmpty {
                message += " Did you mean \(close.joined(separator: ", "))?"
            }
        }
        return message + " `npq contract list` shows every message type."
    }

    /// Up to five contract names close to `name`.
    static func closestNames(to name: String) -> [String] {
        NameSuggestions.closest(to: name, among: MessageCatalog.all.map { $0.name })
    }

    /// The summary's first sentence, so that a list stays one line a type.
    static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }
}
