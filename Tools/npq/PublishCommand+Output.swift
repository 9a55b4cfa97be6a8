import Foundation
import MessageContracts

extension PublishCommand {
    /// Said as soon as the broker has the message.
    static func publishedLine(_ contract: any MessageContract.Type, messageID: String) -> String {
        "Published \(contract.typeName) as message \(messageID)."
    }

    /// After a command published without waiting: where its outcome will show.
    static func confirmationHint(_ contract: any MessageContract.Type) -> String {
        "The broker confirmed it. The service's outcome follows on \(Topology.eventsExchange): the events it causes "
            + "(causation_id = this message id) or a \(MessageRejected.typeName) naming it. Add --wait to wait for "
            + "it here."
    }

    /// `--json` without waiting: what was published.
    static func confirmationJSON(_ contract: any MessageContract.Type, messageID: String) -> String {
        JSONValue.object(["messageID": .string(messageID), "type": .string(contract.typeName)]).jsonString()
    }

    /// The answer for a person: its type and sender, then its body as indented JSON; a rejection as its reason,
    /// detail and every field error.
    static func answerText(_ answer: Answer) -> String {
        switch answer {
        case .reply(let reply):
            return "Reply \(reply.type) from \(reply.service):\n\(json(reply.body, pretty: true))"
        case .rejected(let rejection, _):
            let count = rejection.fieldErrors.count
            var lines = ["Rejected by \(rejection.service) (\(rejection.reason.rawValue)): \(rejection.detail)"]
            if count > 0 { lines.append("\(count == 1 ? "1 field error" : "\(count) field errors"):") }
            lines += rejection.fieldErrors.map { "  \($0)" }
            return lines.joined(separator: "\n")
        case .handled(let events):
            let service = events.first?.service ?? "the service"
            let count = events.count == 1 ? "1 event" : "\(events.count) events"
            let blocks = events.map { event in
                "\(event.type) (message \(event.messageID ?? "without id")):\n\(json(event.body, pretty: true))"
            }
            return (["Handled by \(service), which sent no reply and published \(count) because of it:"] + blocks)
                .joined(separator: "\n")
        }
    }

    /// `--json`: the answer's body alone on one line — the reply, the rejection, or the first event a command
    /// handled without a reply caused.
    static func answerJSON(_ answer: Answer) -> String {
        switch answer {
        case .reply(let reply): json(reply.body, pretty: false)
        case .rejected(_, let received): json(received.body, pretty: false)
        case .handled(let events): json(events.first?.body ?? Data("null".utf8), pretty: false)
        }
    }

    /// Why nothing came back, and what to check.
    static func noAnswerText(
        _ contract: any MessageContract.Type, messageID: String, timeout: Int, watchedEvents: Bool
    ) -> String {
        let seen =
            watchedEvents
            ? "no reply, no \(MessageRejected.typeName) and no event caused by it"
            : "no reply (events were not watched: your broker user may not declare a queue)"
        return "\(contract.typeName) was published as message \(messageID), but nothing came back within "
            + "\(timeout) s: \(seen). Is the service that handles it running and ready (/health/ready)? The message "
            + "waits in the service's queue until it is; a message whose handling failed for a passing reason is "
            + "retried after 5 s, 30 s and 300 s. Give more time with --timeout, or follow it on "
            + "\(Topology.eventsExchange)."
    }

    /// `body` as JSON with sorted keys, indented or on one line; as text when it is not JSON.
    private static func json(_ body: Data, pretty: Bool) -> String {
        guard let value = try? JSONValue(parsing: body) else { return String(decoding: body, as: UTF8.self) }
        return value.jsonString(prettyPrinted: pretty)
    }
}
