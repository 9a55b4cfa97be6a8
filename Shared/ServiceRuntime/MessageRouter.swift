import Foundation
import MessageContracts

/// The message types a service handles, each with its handler, looked up by the AMQP `type` property.
///
/// Registering a type also decides where the service's queue listens: on the contract's exchange with its routing
/// key.
public struct MessageRouter: Sendable {
    /// Decodes a body of one type and runs its handler.
    struct Route: Sendable {
        let routingKey: String
        let exchange: String
        let run: @Sendable (Data, Envelope, String?, Int, HandlerContext) async throws -> Void
    }

    private(set) var routes: [String: Route] = [:]

    public init() {}

    /// Handles messages of contract `M` with `handler`. A handler loads, decides, stores through
    /// ``HandlerContext/database`` and queues messages with ``HandlerContext/publish(_:)``; it throws a
    /// ``MessageRejection`` to refuse the message, or any other error for a failure worth retrying.
    public mutating func on<M: MessageContract>(
        _ contract: M.Type,
        _ handler: @escaping @Sendable (IncomingMessage<M>, HandlerContext) async throws -> Void
    ) {
        routes[M.typeName] = Route(routingKey: M.routingKey, exchange: M.exchange) {
            body, envelope, publisher, retryCount, context in
            let payload: M
            do throws(ContractViolation) {
                payload = try ContractDecoder.decode(M.self, from: body)
            } catch {
                throw MessageRejection(error)
            }
            try await handler(
                IncomingMessage(payload: payload, envelope: envelope, publisher: publisher, retryCount: retryCount),
                context)
        }
    }

    /// Where the service's queue must be bound to receive every registered type.
    public var bindings: [TopologyBinding] {
        routes.values.map { TopologyBinding(exchange: $0.exchange, routingKey: $0.routingKey) }
            .sorted { ($0.exchange, $0.routingKey) < ($1.exchange, $1.routingKey) }
    }

    func route(for type: String) -> Route? { routes[type] }
}
