import AMQP
import Foundation
import MessageContracts

extension PublishCommand {
    /// Sorts what arrives while waiting for the answer to one published message, and says when there is one.
    ///
    /// The runtime answers a message that has a `reply_to` in one of three ways (see `MessageProcessor` and
    /// `HandlerContext.reply`): a refusal is always sent to `reply_to` as `message.rejected`, besides the event on
    /// `npq.events`; a success is sent to `reply_to` only when the handler replies (queries, `application.submit`,
    /// `senco.appointment.record`); other commands' handlers reply nothing, and their only trace is the events they
    /// publish, in the same transaction, with `causation_id` set to the command's message id. So a reply or a
    /// rejection settles it at once; a caused event settles it after a short grace, in which a reply published in
    /// the same batch may still arrive.
    struct AnswerCollector: Sendable {
        /// The published message's id, which is also its correlation id.
        let messageID: String
        /// How long to wait for a reply after the first caused event.
        let grace: Duration

        private var reply: Received?
        private var rejection: (MessageRejected, Received)?
        private var events: [Received] = []
        private var settlesAt: ContinuousClock.Instant?

        init(messageID: String, grace: Duration = .seconds(1)) {
            self.messageID = messageID
            self.grace = grace
        }

        /// Takes one delivery from the waiting queue: a reply (through the default exchange) or an event.
        mutating func receive(
            _ received: Received, properties: AMQPProperties, viaDefaultExchange: Bool, at now: ContinuousClock.Instant
        ) {
            if received.type == MessageRejected.typeName {
                // The reply and the event carry the same rejection; the first one wins.
                if rejection == nil,
                    let refused = try? ContractDecoder.decode(MessageRejected.self, from: received.body),
                    refused.originalMessageID == messageID
                {
                    rejection = (refused, received)
                }
                return
            }
            if viaDefaultExchange {
                if reply == nil, properties.correlationID == messageID { reply = received }
                return
            }
            guard properties.headers[EnvelopeHeader.causationID]?.stringValue == messageID else { return }
            events.append(received)
            if settlesAt == nil { settlesAt = now + grace }
        }

        /// The answer, once there is one.
        func answer(at now: ContinuousClock.Instant) -> Answer? {
            if let rejection { return .rejected(rejection.0, rejection.1) }
            if let reply { return .reply(reply) }
            if let settlesAt, now >= settlesAt { return .handled(events: events) }
            return nil
        }

        /// The answer when time is up: the caused events count even before their grace has passed.
        var finalAnswer: Answer? {
            if let rejection { return .rejected(rejection.0, rejection.1) }
            if let reply { return .reply(reply) }
            return events.isEmpty ? nil : .handled(events: events)
        }
    }
}
