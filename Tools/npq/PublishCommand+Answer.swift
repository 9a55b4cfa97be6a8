import AMQP
import Foundation
import MessageContracts

extension PublishCommand {
    /// A message that came back while waiting: a reply on `reply_to`, or an event on `npq.events`.
    struct Received: Sendable, Equatable {
        /// The AMQP `type`, e.g. `npq.application.received.v1`; empty when the sender gave none.
        var type: String
        var messageID: String?
        /// The CloudEvents source, e.g. `urn:npq:service:applications`.
        var source: String?
        var body: Data

        init(type: String, messageID: String?, source: String?, body: Data) {
            self.type = type
            self.messageID = messageID
            self.source = source
            self.body = body
        }

        init(properties: AMQPProperties, body: Data) {
            self.init(
                type: properties.type ?? "", messageID: properties.messageID,
                source: properties.headers[EnvelopeHeader.source]?.stringValue ?? properties.appID, body: body)
        }

        /// The service that sent it: `applications` from `urn:npq:service:applications`, else the source as given.
        var service: String {
            let prefix = Envelope.source(forService: "")
            guard let source else { return "the service" }
            return source.hasPrefix(prefix) ? String(source.dropFirst(prefix.count)) : source
        }
    }

    /// How the service answered a published message.
    enum Answer: Sendable, Equatable {
        /// Its reply on `reply_to`: a query's result, or what a command's handler chose to send back.
        case reply(Received)
        /// It refused the message; the event (or reply) says why.
        case rejected(MessageRejected, Received)
        /// It handled the command without replying, and published these events because of it (their
        /// `causation_id` is the command's message id).
        case handled(events: [Received])
    }

    /// What became of a publish.
    enum Delivery: Sendable {
        /// Published and confirmed by the broker; nobody waited for an answer.
        case confirmed(messageID: String)
        /// Published, and answered.
        case answered(Answer)
        /// Published, but nothing came back in time; `watchedEvents` says whether events were watched too.
        case unanswered(messageID: String, watchedEvents: Bool)
    }
}
