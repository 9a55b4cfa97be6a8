import Foundation
import Logging

/// A connection to RabbitMQ that stays up: it reconnects after failures, declares its topology again and reopens
/// its consumers, while callers keep using the same object.
///
/// Every rabbitmq-c call runs on the connection's own thread; the methods here are `async` and never block the
/// caller's thread. Publishing waits for the broker's confirm, with up to
/// ``AMQPConfiguration/publisherConfirmWindow`` messages in flight across all callers.
///
/// ```swift
/// let connection = try await AMQPConnection.connect(AMQPConfiguration(url: url), logger: logger)
/// try await connection.declare(topology)
/// try await connection.publish(AMQPMessage(exchange: "npq.events", routingKey: "x.v1", body: body))
/// await connection.close()
/// ```
///
/// Close it with ``close()`` when done: its thread runs until then.
public final class AMQPConnection: Sendable {
    let worker: AMQPConnectionWorker
    private let consumerIDs = ConsumerIDSource()
    private let requestIDs = ConsumerIDSource()

    /// Runs `submit` with a fresh request id; if the calling task is cancelled while the request waits (for the
    /// connection, or for room in the confirm window), the connection fails it with ``AMQPError/Code/cancelled``
    /// instead of sending it. A request already sent is not withdrawn.
    private func cancellable<T: Sendable>(
        requests count: Int = 1, _ submit: ([UInt64], CheckedContinuation<T, Never>) -> Void, cancelled: () -> T
    ) async -> T {
        let requests = (0..<count).map { _ in requestIDs.next() }
        let worker = self.worker
        return await withTaskCancellationHandler {
            if Task.isCancelled { return cancelled() }
            return await withCheckedContinuation { continuation in submit(requests, continuation) }
        } onCancel: {
            worker.submit(.cancel(requests: requests))
        }
    }

    /// Starts connecting in the background, retrying with backoff until it succeeds. Use this in services, which
    /// should come up even when the broker does not (yet); ``state`` and ``waitUntilConnected()`` tell progress.
    public init(configuration: AMQPConfiguration, logger: Logger) {
        worker = AMQPConnectionWorker(configuration: configuration, logger: logger)
        worker.start()
    }

    /// Connects and returns once connected; throws the first failure (bad address, refused credentials, TLS
    /// verification) instead of retrying. Later failures are recovered from as with ``init(configuration:logger:)``.
    public static func connect(
        _ configuration: AMQPConfiguration, logger: Logger
    ) async throws(AMQPError) -> AMQPConnection {
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        do throws(AMQPError) {
            try await connection.waitUntilConnected(failFast: true)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// Opens a connection, runs `body` with it and closes it, also when `body` throws.
    public static func withConnection<T: Sendable>(
        _ configuration: AMQPConfiguration, logger: Logger, _ body: (AMQPConnection) async throws -> T
    ) async throws -> T {
        let connection = try await connect(configuration, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The connection's current state.
    public var state: AMQPConnectionState { worker.state }

    /// How many times the connection has been re-established after a loss.
    public var reconnectCount: Int { worker.reconnectCount }

    /// The configuration the connection was made with.
    public var configuration: AMQPConfiguration { worker.configuration }

    /// Waits until the connection is up (returns at once if it is).
    public func waitUntilConnected() async throws(AMQPError) {
        try await waitUntilConnected(failFast: false)
    }

    private func waitUntilConnected(failFast: Bool) async throws(AMQPError) {
        let result: Result<Void, AMQPError> = await cancellable(
            { requests, continuation in
                worker.submit(
                    .waitUntilConnected(
                        failFast: failFast, request: requests[0], completion: { continuation.resume(returning: $0) }))
            }, cancelled: { .failure(AMQPError(.cancelled, context: "wait for the connection")) })
        try result.get()
    }

    /// Declares exchanges, queues and bindings, and remembers them to declare again after a reconnect.
    /// Declaring what already exists with the same settings is harmless; different settings fail with 406
    /// PRECONDITION_FAILED, naming the item. Waits for the connection when it is down.
    public func declare(_ topology: AMQPTopology) async throws(AMQPError) {
        _ = try await perform(.declare(topology))
    }

    /// Deletes a queue and returns how many messages it held.
    @discardableResult
    public func deleteQueue(_ name: String) async throws(AMQPError) -> Int {
        guard case .messageCount(let count) = try await perform(.deleteQueue(name)) else { return 0 }
        return count
    }

    /// Removes every ready message from a queue and returns how many there were.
    @discardableResult
    public func purgeQueue(_ name: String) async throws(AMQPError) -> Int {
        guard case .messageCount(let count) = try await perform(.purgeQueue(name)) else { return 0 }
        return count
    }

    /// How many messages are ready in a queue and how many consumers it has; 404 if it does not exist.
    public func inspectQueue(_ name: String) async throws(AMQPError) -> (messages: Int, consumers: Int) {
        guard case .queue(let messages, let consumers) = try await perform(.inspectQueue(name)) else { return (0, 0) }
        return (messages, consumers)
    }

    /// Deletes an exchange.
    public func deleteExchange(_ name: String) async throws(AMQPError) {
        _ = try await perform(.deleteExchange(name))
    }

    private func perform(_ operation: AMQPOperation) async throws(AMQPError) -> AMQPOperationResult {
        let result: Result<AMQPOperationResult, AMQPError> = await cancellable(
            { requests, continuation in
                worker.submit(
                    .operation(operation, request: requests[0], completion: { continuation.resume(returning: $0) }))
            }, cancelled: { .failure(AMQPError(.cancelled, context: operation.description)) })
        return try result.get()
    }

    /// Publishes one message and returns when the broker has confirmed it. Fails with
    /// ``AMQPError/Code/unroutable`` when a mandatory message reached no queue, ``AMQPError/Code/nacked`` when the
    /// broker refused it, ``AMQPError/Code/channelClosed`` for a missing exchange, and
    /// ``AMQPError/Code/connectionLost`` when the connection dropped before the confirm (it may or may not have
    /// arrived: publish again with the same message id and let the consumer dedupe). While the connection is down,
    /// the message waits for it.
    public func publish(_ message: AMQPMessage) async throws(AMQPError) {
        let result: Result<Void, AMQPError> = await cancellable(
            { requests, continuation in
                worker.submit(
                    .publish([
                        .init(
                            request: requests[0], message: message, completion: { continuation.resume(returning: $0) })
                    ]))
            }, cancelled: { .failure(AMQPError(.cancelled, context: "publish to \(message.exchange)")) })
        try result.get()
    }

    /// Publishes many messages at once, pipelined through the confirm window, and returns each one's outcome in
    /// the same order. A cancelled caller gets ``AMQPError/Code/cancelled`` for those not yet sent.
    public func publish(_ messages: [AMQPMessage]) async -> [Result<Void, AMQPError>] {
        guard !messages.isEmpty else { return [] }
        let collector = PublishResults(count: messages.count)
        let worker = self.worker
        let finished: Bool = await cancellable(
            requests: messages.count,
            { requests, continuation in
                collector.onComplete { continuation.resume(returning: true) }
                let pending = messages.enumerated().map { index, message in
                    AMQPConnectionWorker.PendingPublish(
                        request: requests[index], message: message, completion: { collector.record($0, at: index) })
                }
                worker.submit(.publish(pending))
            }, cancelled: { false })
        if !finished {
            return messages.map { .failure(AMQPError(.cancelled, context: "publish to \($0.exchange)")) }
        }
        return collector.results
    }

    /// Sends a request and waits for its reply, through RabbitMQ's direct reply-to (no reply queue to declare).
    ///
    /// The message gets `reply_to` = `amq.rabbitmq.reply-to` and, if it has none, a fresh `correlation_id`; the
    /// reply is the first message that comes back with that correlation id. Fails with
    /// ``AMQPError/Code/unroutable`` when a mandatory request reaches no queue, ``AMQPError/Code/timeout`` when no
    /// reply comes within `timeout`, and ``AMQPError/Code/connectionLost`` when the connection drops meanwhile (a
    /// reply could no longer reach it).
    public func request(_ message: AMQPMessage, timeout: Duration = .seconds(30)) async throws(AMQPError) -> AMQPReply {
        let deadline = ContinuousClock.now + timeout
        let result: Result<[AMQPReply], AMQPError> = await cancellable(
            { requests, continuation in
                worker.submit(
                    .request(
                        .init(
                            request: requests[0], message: message, deadline: deadline,
                            completion: { continuation.resume(returning: $0) })))
            }, cancelled: { .failure(AMQPError(.cancelled, context: "send a request to \(message.exchange)")) })
        guard let reply = try result.get().first else {
            throw AMQPError(.timeout, context: "wait for a reply from \(message.routingKey)")
        }
        return reply
    }

    /// Sends `message` like ``request(_:timeout:)`` and collects every reply that comes back with its correlation
    /// id, until `expected` have come or `timeout` has passed: a question several consumers answer (every service's
    /// status). Returns the replies in the order they came, possibly none.
    public func gatherReplies(
        _ message: AMQPMessage, expected: Int, timeout: Duration
    ) async throws(AMQPError) -> [AMQPReply] {
        let deadline = ContinuousClock.now + timeout
        let result: Result<[AMQPReply], AMQPError> = await cancellable(
            { requests, continuation in
                worker.submit(
                    .request(
                        .init(
                            request: requests[0], message: message, deadline: deadline, gather: max(1, expected),
                            completion: { continuation.resume(returning: $0) })))
            }, cancelled: { .failure(AMQPError(.cancelled, context: "send a request to \(message.exchange)")) })
        return try result.get()
    }

    /// Starts consuming from a queue with manual acknowledgement and returns the consumer, an `AsyncSequence` of
    /// deliveries. At most `prefetch` deliveries are unacknowledged at once. The consumer survives reconnects;
    /// deliveries received before a reconnect can no longer be settled (the broker redelivers them).
    public func consume(
        queue: String, prefetch: UInt16 = 256, tag: String? = nil, exclusive: Bool = false
    )
        async throws(AMQPError) -> AMQPConsumer
    {
        let id = consumerIDs.next()
        let (stream, continuation) = AsyncThrowingStream<AMQPDelivery, any Error>.makeStream()
        let registration = AMQPConnectionWorker.ConsumerRegistration(
            id: id, queue: queue, prefetch: prefetch, tag: tag ?? "npq-\(queue)-\(id)", exclusive: exclusive,
            continuation: continuation)
        let worker = self.worker
        continuation.onTermination = { _ in worker.submit(.cancelConsumer(id: id, completion: {})) }
        let result: Result<Void, AMQPError> = await withCheckedContinuation { resume in
            worker.submit(.consume(registration, completion: { resume.resume(returning: $0) }))
        }
        try result.get()
        return AMQPConsumer(id: id, queue: queue, stream: stream, worker: worker)
    }

    /// Waits for outstanding confirms (up to 5 seconds), closes the connection cleanly and stops its thread.
    /// Consumers' sequences finish; operations submitted afterwards fail with ``AMQPError/Code/closed``.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            worker.requestClose { continuation.resume() }
        }
    }
}
