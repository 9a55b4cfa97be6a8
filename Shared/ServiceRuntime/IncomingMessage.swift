import Foundation
import MessageContracts

/// A decoded message handed to a handler: its payload, its envelope and who sent it.
public struct IncomingMessage<Payload: MessageContract>: Sendable {
    public var payload: Payload
    public var envelope: Envelope
    /// The broker user that published the message, as RabbitMQ validated it (AMQP `user_id`); `nil` when the
    /// publisher did not state one. Authorisation decisions use this, never a field of the body.
    public var publisher: String?
    /// How many times the runtime has already retried this message after a transient failure.
    public var retryCount: Int
}
