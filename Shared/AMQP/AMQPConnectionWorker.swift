import CRabbitMQ
import Foundation
import Logging
import Synchronization

/// Owns one rabbitmq-c connection and is the only code that touches it, on a thread of its own.
///
/// rabbitmq-c is blocking and not thread-safe, so every C call happens on this worker's thread — never on
/// Swift's cooperative pool. Callers hand it ``Command``s (through a locked queue and an eventfd that wakes the
/// thread); it answers through completion closures that resume their continuations. Between commands it polls the
/// socket, reads every frame that has arrived (deliveries, publisher confirms, returns, channel and connection
/// closes) and lets rabbitmq-c send heartbeats, so an idle connection stays alive.
///
/// Channels: 1 carries synchronous operations (declarations), 2 publishes with confirms, and every consumer has a
/// channel of its own (3 and up) so that a prefetch, a cancel or a channel error stays with that consumer. When the
/// broker closes a channel it is reopened; when the connection is lost, the worker reconnects with exponential
/// backoff and full jitter, declares the recorded topology again and reopens every consumer.
final class AMQPConnectionWorker: @unchecked Sendable {
    typealias Completion = @Sendable (Result<Void, AMQPError>) -> Void

    /// Work handed to the thread.
    enum Command {
        case publish([PendingPublish])
        case operation(
            AMQPOperation, request: UInt64, completion: @Sendable (Result<AMQPOperationResult, AMQPError>) -> Void)
        case consume(ConsumerRegistration, completion: Completion)
        case request(PendingRequest)
        case cancelConsumer(id: UInt64, completion: @Sendable () -> Void)
        case settle(consumerID: UInt64, incarnation: UInt64, tag: UInt64, AMQPSettlement, completion: Completion)
        case waitUntilConnected(failFast: Bool, request: UInt64, completion: Completion)
        /// The callers of these requests were cancelled: fail whatever of them has not been sent yet.
        case cancel(requests: [UInt64])
        case close(completion: @Sendable () -> Void)

        /// Answers the command with an error without running it (the connection is closed).
        func fail(_ error: AMQPError) {
            switch self {
            case .publish(let publishes): publishes.forEach { $0.completion(.failure(error)) }
            case .operation(_, _, let completion): completion(.failure(error))
            case .consume(let registration, let completion):
                registration.continuation.finish(throwing: error)
                completion(.failure(error))
            case .request(let pending): pending.completion(.failure(error))
            case .cancelConsumer(_, let completion): completion()
            case .settle(_, _, _, _, let completion): completion(.failure(error))
            case .waitUntilConnected(_, _, let completion): completion(.failure(error))
            case .cancel: break
            case .close(let completion): completion()
            }
        }
    }

    /// A message waiting to be published or awaiting its confirm.
    struct PendingPublish {
        /// Identifies the caller's request, to cancel it while it waits.
        let request: UInt64
        var message: AMQPMessage
        let completion: Completion
    }

    /// A request awaiting its reply through direct reply-to — or, when `gather` is set, up to that many replies
    /// until its deadline (a question every service answers).
    struct PendingRequest {
        let request: UInt64
        var message: AMQPMessage
        let deadline: ContinuousClock.Instant
        var gather: Int? = nil
        var replies: [AMQPReply] = []
        let completion: @Sendable (Result<[AMQPReply], AMQPError>) -> Void
    }

    /// What ``AMQPConnection/consume(queue:prefetch:tag:exclusive:)`` asks for.
    struct ConsumerRegistration {
        let id: UInt64
        let queue: String
        let prefetch: UInt16
        let tag: String
        let exclusive: Bool
        let continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
    }

    /// A consumer as the thread tracks it across channel and connection incarnations.
    private struct ConsumerRecord {
        let registration: ConsumerRegistration
        var channel: amqp_channel_t = 0
        var incarnation: UInt64 = 0
        var open = false
        /// Every delivery tag up to this one is settled on the current channel (tags start at 1 per channel).
        var settledFloor: UInt64 = 0
        /// Settled tags above ``settledFloor``, waiting for the gap below them to close.
        var settledAbove = Set<UInt64>()
        var cancelled = false
        var retryAt: ContinuousClock.Instant = .now
    }

    // MARK: State shared with callers (locked)

    private struct Shared {
        var commands: [Command] = []
        var state: AMQPConnectionState = .connecting
        var closing = false
        var finished = false
        var reconnects = 0
        var blocked = false
    }
    private let shared = Mutex(Shared())
    private let wakeDescriptor: Int32
    /// The consumer channel incarnations that are open now, so that settling a delivery can refuse a stale one at
    /// once, without a round trip to the thread (which checks again before sending).
    private let liveIncarnations = Mutex<Set<UInt64>>([])

    // MARK: State confined to the thread

    let configuration: AMQPConfiguration
    private let logger: Logger
    private var connection: amqp_connection_state_t?
    private let arena = CValueArena()
    private var controlChannelOpen = false
    private var publisherChannelOpen = false
    private var window = PublisherConfirmWindow<PendingPublish>()
    /// Messages the broker returned as unroutable, by message id, until their confirm arrives.
    private var returned: [String: AMQPError] = [:]
    private var waitingPublishes: [PendingPublish] = []
    private var waitingPublishesHead = 0
    private var consumers: [UInt64: ConsumerRecord] = [:]
    private var channelIncarnations: UInt64 = 0
    private var nextConsumerChannel: amqp_channel_t = 4
    /// Requests not yet sent (no connection yet, or the reply channel is being opened).
    private var waitingRequests: [PendingRequest] = []
    /// Requests sent, by correlation id, until their reply, a return, their deadline or a lost connection.
    private var pendingReplies: [String: PendingRequest] = [:]
    private var replyChannelOpen = false
    private var freeConsumerChannels: [amqp_channel_t] = []
    /// Everything declared successfully, in order, to declare again after a reconnect.
    private var recordedTopology = AMQPTopology()
    private var pendingOperations:
        [(
            operation: AMQPOperation, request: UInt64,
            completion: @Sendable (Result<AMQPOperationResult, AMQPError>) -> Void
        )] = []
    private var connectWaiters: [(failFast: Bool, request: UInt64, completion: Completion)] = []
    /// Cancellations that arrived before their request (the caller was cancelled as it submitted).
    private var earlyCancellations = Set<UInt64>()
    private var attempt = 0
    private var nextAttemptAt: ContinuousClock.Instant = .now
    private var closeCompletions: [@Sendable () -> Void] = []
    /// Single acks received in the current batch of commands, by consumer, written out together.
    private var pendingAcks: [UInt64: [UInt64]] = [:]

    private static let controlChannel: amqp_channel_t = 1
    private static let publisherChannel: amqp_channel_t = 2
    /// Consumes RabbitMQ's direct reply-to pseudo-queue and publishes requests: the broker requires both on one
    /// channel.
    private static let replyChannel: amqp_channel_t = 3
    private static let directReplyTo = "amq.rabbitmq.reply-to"

    init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "amqp.broker"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        precondition(wakeDescriptor >= 0, "eventfd failed: \(errno)")
    }

    deinit { close(wakeDescriptor) }

    /// Starts the thread. Called once by ``AMQPConnection``.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "amqp-\(configuration.connectionName ?? configuration.host)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands a command to the thread; after close, fails it at once.
    func submit(_ command: Command) {
        let accepted = shared.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.commands.append(command)
            return true
        }
        guard accepted else {
            command.fail(AMQPError(.closed, context: "use a connection that was closed"))
            return
        }
        wake()
    }

    var state: AMQPConnectionState { shared.withLock { $0.state } }

    /// Whether deliveries of this consumer channel incarnation can still be settled.
    func isLive(_ incarnation: UInt64) -> Bool { liveIncarnations.withLock { $0.contains(incarnation) } }

    private func retire(_ incarnation: UInt64) { _ = liveIncarnations.withLock { $0.remove(incarnation) } }
    var reconnectCount: Int { shared.withLock { $0.reconnects } }

    private func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(wakeDescriptor, $0.baseAddress, 8) }
    }

    private func setState(_ state: AMQPConnectionState) {
        shared.withLock { $0.state = state }
    }

    // MARK: - The loop

    private func run() {
        while true {
            let (commands, closing) = shared.withLock { state -> ([Command], Bool) in
                defer { state.commands.removeAll(keepingCapacity: true) }
                return (state.commands, state.closing)
            }
            for command in commands { handle(command) }
            flushAcks()
            if closing, !closeCompletions.isEmpty {
                shutDown()
                return
            }
            if connection == nil {
                let now = ContinuousClock.now
                if now >= nextAttemptAt {
                    connect()
                } else {
                    waitForWake(orSocket: nil, timeout: nextAttemptAt - now)
                }
                continue
            }
            repairChannels()
            flushPublishes()
            flushRequests()
            expireReplies()
            guard pumpFrames() else { continue }
            if hasBufferedFrames() || hasPendingCommands() { continue }
            var timeout = pollInterval
            if let nearest = pendingReplies.values.map(\.deadline).min() {
                timeout = max(.zero, min(timeout, nearest - ContinuousClock.now))
            }
            waitForWake(orSocket: amqp_get_sockfd(connection), timeout: timeout)
        }
    }

    /// Often enough to send heartbeats on time and to notice a silent broker.
    private var pollInterval: Duration {
        let heartbeat = configuration.heartbeat
        return heartbeat == .zero ? .seconds(1) : min(heartbeat / 2, .seconds(1))
    }

    private func hasPendingCommands() -> Bool {
        shared.withLock { !$0.commands.isEmpty }
    }

    private func hasBufferedFrames() -> Bool {
        guard let connection else { return false }
        return amqp_frames_enqueued(connection) != 0 || amqp_data_in_buffer(connection) != 0
    }

    /// Sleeps until a command arrives, the socket is readable, or the timeout passes.
    private func waitForWake(orSocket socket: Int32?, timeout: Duration) {
        var descriptors = [pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if let socket, socket >= 0 { descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        if descriptors[0].revents & Int16(POLLIN) != 0 {
            var counter: UInt64 = 0
            _ = withUnsafeMutableBytes(of: &counter) { read(wakeDescriptor, $0.baseAddress, 8) }
        }
    }

    // MARK: - Commands

    private func handle(_ command: Command) {
        switch command {
        case .publish(let publishes):
            for publish in publishes {
                if earlyCancellations.remove(publish.request) != nil {
                    publish.completion(
                        .failure(AMQPError(.cancelled, context: "publish to \(publish.message.exchange)")))
                } else {
                    waitingPublishes.append(publish)
                }
            }
        case .operation(let operation, let request, let completion):
            if earlyCancellations.remove(request) != nil {
                completion(.failure(AMQPError(.cancelled, context: operation.description)))
            } else if connection == nil || shared.withLock({ $0.blocked }) {
                // While the broker blocks the connection it reads nothing from it: a synchronous operation would
                // hold this thread until its timeout and cost the connection. It waits for the unblock instead.
                pendingOperations.append((operation, request, completion))
            } else {
                perform(operation, request: request, completion: completion)
            }
        case .cancel(let requests):
            cancel(Set(requests))
        case .request(let pending):
            if earlyCancellations.remove(pending.request) != nil {
                pending.completion(
                    .failure(AMQPError(.cancelled, context: "send a request to \(pending.message.exchange)")))
            } else {
                waitingRequests.append(pending)
            }
        case .consume(let registration, let completion):
            var record = ConsumerRecord(registration: registration)
            if connection != nil {
                do throws(AMQPError) {
                    try open(&record)
                } catch {
                    if connection != nil || !error.isTransient {
                        registration.continuation.finish(throwing: error)
                        completion(.failure(error))
                        return
                    }
                }
            }
            consumers[registration.id] = record
            completion(.success(()))
        case .cancelConsumer(let id, let completion):
            cancelConsumer(id)
            completion()
        case .settle(let consumerID, let incarnation, let tag, .ack(multiple: false), let completion):
            if let record = consumers[consumerID], record.open, record.incarnation == incarnation, connection != nil {
                pendingAcks[consumerID, default: []].append(tag)
                completion(.success(()))
            } else {
                completion(.failure(AMQPError(.staleDelivery, context: "settle delivery \(tag)")))
            }
        case .settle(let consumerID, let incarnation, let tag, let settlement, let completion):
            flushAcks()
            completion(settle(consumerID: consumerID, incarnation: incarnation, tag: tag, settlement))
        case .waitUntilConnected(let failFast, let request, let completion):
            if connection != nil, state.isConnected {
                completion(.success(()))
            } else if earlyCancellations.remove(request) != nil {
                completion(.failure(AMQPError(.cancelled, context: "wait for the connection")))
            } else {
                connectWaiters.append((failFast, request, completion))
            }
        case .close(let completion):
            closeCompletions.append(completion)
        }
    }

    /// Fails the cancelled requests that have not been sent: publishes still waiting for room or for the
    /// connection, operations and waits for the connection. Publishes already sent await their confirm as usual.
    private func cancel(_ requests: Set<UInt64>) {
        var found = Set<UInt64>()
        if waitingPublishesHead < waitingPublishes.count {
            var kept: [PendingPublish] = []
            for publish in waitingPublishes[waitingPublishesHead...] {
                if requests.contains(publish.request) {
                    found.insert(publish.request)
                    publish.completion(
                        .failure(AMQPError(.cancelled, context: "publish to \(publish.message.exchange)")))
                } else {
                    kept.append(publish)
                }
            }
            waitingPublishes = kept
            waitingPublishesHead = 0
        }
        pendingOperations.removeAll { entry in
            guard requests.contains(entry.request) else { return false }
            found.insert(entry.request)
            entry.completion(.failure(AMQPError(.cancelled, context: entry.operation.description)))
            return true
        }
        waitingRequests.removeAll { pending in
            guard requests.contains(pending.request) else { return false }
            found.insert(pending.request)
            pending.completion(.failure(AMQPError(.cancelled, context: "send a request")))
            return true
        }
        for (correlation, pending) in pendingReplies where requests.contains(pending.request) {
            found.insert(pending.request)
            pendingReplies[correlation] = nil
            pending.completion(.failure(AMQPError(.cancelled, context: "wait for a reply")))
        }
        connectWaiters.removeAll { waiter in
            guard requests.contains(waiter.request) else { return false }
            found.insert(waiter.request)
            waiter.completion(.failure(AMQPError(.cancelled, context: "wait for the connection")))
            return true
        }
        // A request already sent (a publish in the confirm window) is not cancellable; remember only those not seen
        // at all, which may still be on their way, and keep that memory small.
        let inWindow = Set(window.entries.map(\.request))
        for request in requests.subtracting(found).subtracting(inWindow) { earlyCancellations.insert(request) }
        if earlyCancellations.count > 10_000 { earlyCancellations.removeAll() }
    }

    // MARK: - Connecting

    private func connect() {
        let context = "connect to \(configuration.redactedURL)"
        do throws(AMQPError) {
            try openConnection(context: context)
            try openControlChannel()
            try declare(recordedTopology, record: false)
            try openPublisherChannel()
            for id in consumers.keys.sorted() {
                guard var record = consumers[id], !record.cancelled else { continue }
                do throws(AMQPError) {
                    try open(&record)
                } catch  where connection != nil {
                    record.registration.continuation.finish(throwing: error)
                    consumers[id] = nil
                    continue
                }
                consumers[id] = record
            }
        } catch {
            // checkReply has already torn the connection down for connection-level failures.
            if connection != nil { teardown(error) }
            return
        }
        if attempt > 0 { shared.withLock { $0.reconnects += 1 } }
        logger.info(
            attempt > 0 ? "AMQP connection re-established" : "AMQP connected",
            metadata: ["amqp.attempts": "\(attempt + 1)", "amqp.consumers": "\(consumers.count)"])
        attempt = 0
        setState(.connected)
        for waiter in connectWaiters { waiter.completion(.success(())) }
        connectWaiters.removeAll()
        let operations = pendingOperations
        pendingOperations.removeAll()
        for (operation, request, completion) in operations {
            perform(operation, request: request, completion: completion)
        }
    }

    private func openConnection(context: String) throws(AMQPError) {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectionFailed, context: context, libraryDescription: "out of memory")
        }
        connection = state
        let socket: OpaquePointer?
        if let tls = configuration.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else { throw AMQPError(.tlsFailed, context: context, libraryDescription: "no TLS socket") }
            if let caFile = tls.caFile {
                try check(amqp_ssl_socket_set_cacert(socket, caFile), .tlsFailed, "\(context): load CA file \(caFile)")
            }
            if let certificate = tls.certificateFile, let key = tls.keyFile {
                try check(
                    amqp_ssl_socket_set_key(socket, certificate, key), .tlsFailed, "\(context): load client certificate"
                )
            }
            amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
            amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else { throw AMQPError(.connectionFailed, context: context, libraryDescription: "no socket") }
        var timeout = timeval(configuration.connectionTimeout)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        if status != AMQP_STATUS_OK.rawValue {
            let tlsStatuses = [
                AMQP_STATUS_SSL_ERROR, AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED, AMQP_STATUS_SSL_PEER_VERIFY_FAILED,
                AMQP_STATUS_SSL_CONNECTION_FAILED,
            ].map(\.rawValue)
            throw libraryError(tlsStatuses.contains(status) ? .tlsFailed : .connectionFailed, status, context)
        }
        var handshake = timeval(configuration.connectionTimeout)
        amqp_set_handshake_timeout(state, &handshake)
        var rpcTimeout = timeval(configuration.operationTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)

        arena.reset()
        defer { arena.reset() }
        // rabbitmq-c announces few capabilities of its own: ask for consumer cancel notifications (a deleted queue
        // tells its consumers) and connection.blocked (a resource alarm pauses publishing instead of blocking the
        // thread in a full socket); rabbitmq-c merges these with its own.
        var clientProperties = arena.table([
            "connection_name": .string(configuration.connectionName ?? "npq"),
            "product": "npq-suite AMQP (rabbitmq-c)",
            "capabilities": .table([
                "consumer_cancel_notify": true, "connection.blocked": true, "publisher_confirms": true,
                "basic.nack": true, "authentication_failure_close": true,
            ]),
        ])
        let heartbeat = Int32(configuration.heartbeat.components.seconds)
        let reply: amqp_rpc_reply_t
        switch configuration.authentication {
        case .plain:
            reply = npq_amqp_login_plain(
                state, configuration.virtualHost, Int32(configuration.channelMax), Int32(configuration.frameMax),
                heartbeat, &clientProperties, configuration.user, configuration.password)
        case .external:
            reply = npq_amqp_login_external(
                state, configuration.virtualHost, Int32(configuration.channelMax), Int32(configuration.frameMax),
                heartbeat, &clientProperties, configuration.user)
        }
        if reply.reply_type != AMQP_RESPONSE_NORMAL {
            var error = rpcError(reply, channel: 0, context: "\(context): log in as \(configuration.user)")
            if error.replyCode == 403 || error.replyCode == 530
                || error.libraryStatus == AMQP_STATUS_CONNECTION_CLOSED.rawValue
            {
                error.code = .authenticationFailed
            }
            throw error
        }
    }

    private func openControlChannel() throws(AMQPError) {
        guard !controlChannelOpen, let connection else { return }
        amqp_channel_open(connection, Self.controlChannel)
        try checkReply(channel: Self.controlChannel, context: "open the control channel")
        controlChannelOpen = true
    }

    private func openPublisherChannel() throws(AMQPError) {
        guard !publisherChannelOpen, let connection else { return }
        amqp_channel_open(connection, Self.publisherChannel)
        try checkReply(channel: Self.publisherChannel, context: "open the publishing channel")
        amqp_confirm_select(connection, Self.publisherChannel)
        try checkReply(channel: Self.publisherChannel, context: "turn on publisher confirms")
        publisherChannelOpen = true
        window = PublisherConfirmWindow()
        returned.removeAll()
    }

    /// Opens a consumer's channel, sets its prefetch and starts consuming.
    private func open(_ record: inout ConsumerRecord) throws(AMQPError) {
        guard let connection else {
            throw AMQPError(.connectionLost, context: "consume from \(record.registration.queue)")
        }
        let registration = record.registration
        let channel: amqp_channel_t
        if record.channel != 0 {
            channel = record.channel
        } else if let free = freeConsumerChannels.popLast() {
            channel = free
        } else {
            channel = nextConsumerChannel
            nextConsumerChannel += 1
        }
        record.channel = channel
        let context = "consume from queue \(registration.queue)"
        amqp_channel_open(connection, channel)
        try checkReply(channel: channel, context: "\(context): open channel \(channel)")
        amqp_basic_qos(connection, channel, 0, registration.prefetch, 0)
        try checkReply(channel: channel, context: "\(context): set prefetch \(registration.prefetch)")
        arena.reset()
        defer { arena.reset() }
        amqp_basic_consume(
            connection, channel, arena.bytes(registration.queue), arena.bytes(registration.tag), 0, 0,
            registration.exclusive ? 1 : 0, amqp_empty_table)
        try checkReply(channel: channel, context: context)
        channelIncarnations += 1
        record.incarnation = channelIncarnations
        record.open = true
        record.settledFloor = 0
        record.settledAbove.removeAll()
        let live = record.incarnation
        _ = liveIncarnations.withLock { $0.insert(live) }
        logger.debug("consumer open", metadata: ["amqp.queue": "\(registration.queue)", "amqp.channel": "\(channel)"])
    }

    /// Reopens channels the broker closed: the publishing channel, and consumers whose channel closed or whose
    /// consumption the broker cancelled.
    private func repairChannels() {
        do throws(AMQPError) {
            try openControlChannel()
            try openPublisherChannel()
        } catch {
            if connection != nil { logger.warning("could not reopen a channel", metadata: ["amqp.error": "\(error)"]) }
            return
        }
        let now = ContinuousClock.now
        for id in consumers.keys {
            guard var record = consumers[id], !record.open, !record.cancelled, record.retryAt <= now else { continue }
            do throws(AMQPError) {
                if record.channel != 0, let connection {
                    // A channel whose consumer the broker cancelled is still open: close it before reusing it.
                    amqp_channel_close(connection, record.channel, Int32(AMQP_REPLY_SUCCESS))
                    _ = amqp_get_rpc_reply(connection)
                }
                try open(&record)
                consumers[id] = record
            } catch {
                guard connection != nil else { return }
                if error.replyCode == 404 {
                    logger.error("consumer's queue is gone", metadata: ["amqp.queue": "\(record.registration.queue)"])
                    record.registration.continuation.finish(
                        throwing: AMQPError(
                            .consumerCancelled, context: "consume from \(record.registration.queue)",
                            replyCode: error.replyCode, replyText: error.replyText))
                    consumers[id] = nil
                } else {
                    // The broker may have closed the channel meanwhile (channelClosedByBroker freed its number):
                    // keep what the stored record says, not this copy's channel.
                    record.channel = consumers[id]?.channel ?? 0
                    record.open = consumers[id]?.open ?? false
                    record.retryAt = now + .seconds(1)
                    consumers[id] = record
                }
            }
        }
    }

    // MARK: - Operations (channel 1)

    private func perform(
        _ operation: AMQPOperation, request: UInt64,
        completion: @escaping @Sendable (Result<AMQPOperationResult, AMQPError>) -> Void
    ) {
        do throws(AMQPError) {
            try openControlChannel()
            completion(.success(try execute(operation)))
        } catch {
            if connection == nil && error.isTransient {
                // Lost the connection on the way: do it again once reconnected.
                pendingOperations.append((operation, request, completion))
            } else {
                completion(.failure(error))
            }
        }
    }

    private func execute(_ operation: AMQPOperation) throws(AMQPError) -> AMQPOperationResult {
        guard let connection else { throw AMQPError(.connectionLost, context: operation.description) }
        arena.reset()
        defer { arena.reset() }
        let channel = Self.controlChannel
        switch operation {
        case .declare(let topology):
            try declare(topology, record: true)
            return .done
        case .deleteQueue(let name):
            let ok = amqp_queue_delete(connection, channel, arena.bytes(name), 0, 0)
            try checkReply(channel: channel, context: operation.description)
            return .messageCount(Int(ok?.pointee.message_count ?? 0))
        case .purgeQueue(let name):
            let ok = amqp_queue_purge(connection, channel, arena.bytes(name))
            try checkReply(channel: channel, context: operation.description)
            return .messageCount(Int(ok?.pointee.message_count ?? 0))
        case .inspectQueue(let name):
            let ok = amqp_queue_declare(connection, channel, arena.bytes(name), 1, 0, 0, 0, amqp_empty_table)
            try checkReply(channel: channel, context: operation.description)
            return .queue(
                messages: Int(ok?.pointee.message_count ?? 0), consumers: Int(ok?.pointee.consumer_count ?? 0))
        case .deleteExchange(let name):
            amqp_exchange_delete(connection, channel, arena.bytes(name), 0)
            try checkReply(channel: channel, context: operation.description)
            return .done
        }
    }

    /// Declares exchanges, then queues, then bindings, on channel 1, and (when `record`) remembers them for
    /// recovery.
    private func declare(_ topology: AMQPTopology, record: Bool) throws(AMQPError) {
        guard let connection else { throw AMQPError(.connectionLost, context: "declare topology") }
        let channel = Self.controlChannel
        for exchange in topology.exchanges {
            arena.reset()
            amqp_exchange_declare(
                connection, channel, arena.bytes(exchange.name), arena.bytes(exchange.kind.rawValue), 0,
                exchange.durable ? 1 : 0, 0, 0, arena.table(exchange.arguments))
            try checkReply(channel: channel, context: "declare exchange \(exchange.name)")
            if record, !recordedTopology.exchanges.contains(exchange) { recordedTopology.exchanges.append(exchange) }
        }
        for queue in topology.queues {
            arena.reset()
            amqp_queue_declare(
                connection, channel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0, queue.exclusive ? 1 : 0,
                queue.autoDelete ? 1 : 0, arena.table(queue.arguments))
            try checkReply(channel: channel, context: "declare queue \(queue.name)")
            if record, !recordedTopology.queues.contains(queue) { recordedTopology.queues.append(queue) }
        }
        for binding in topology.bindings {
            arena.reset()
            amqp_queue_bind(
                connection, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), arena.table(binding.arguments))
            try checkReply(
                channel: channel,
                context: "bind queue \(binding.queue) to \(binding.exchange) with '\(binding.routingKey)'")
            if record, !recordedTopology.bindings.contains(binding) { recordedTopology.bindings.append(binding) }
        }
        arena.reset()
    }

    // MARK: - Publishing

    /// Sends waiting messages while the confirm window has room.
    private func flushPublishes() {
        guard let connection, publisherChannelOpen, !shared.withLock({ $0.blocked }) else { return }
        while window.outstanding < configuration.publisherConfirmWindow, waitingPublishesHead < waitingPublishes.count {
            var pending = waitingPublishes[waitingPublishesHead]
            waitingPublishesHead += 1
            if pending.message.mandatory, pending.message.properties.messageID == nil {
                pending.message.properties.messageID = UUID().uuidString.lowercased()
            }
            let message = pending.message
            _ = window.register(pending)
            arena.reset()
            var properties = arena.properties(message.properties)
            let exchange = arena.bytes(message.exchange)
            let routingKey = arena.bytes(message.routingKey)
            let status = message.body.withUnsafeBytes { body in
                amqp_basic_publish(
                    connection, Self.publisherChannel, exchange, routingKey, message.mandatory ? 1 : 0, 0,
                    &properties,
                    amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
            }
            arena.reset()
            if status != AMQP_STATUS_OK.rawValue {
                teardown(libraryError(.connectionLost, status, "publish to \(message.exchange)"))
                return
            }
        }
        if waitingPublishesHead == waitingPublishes.count {
            waitingPublishes.removeAll(keepingCapacity: true)
            waitingPublishesHead = 0
        } else if waitingPublishesHead > 4096 {
            waitingPublishes.removeFirst(waitingPublishesHead)
            waitingPublishesHead = 0
        }
    }

    private func confirm(tag: UInt64, multiple: Bool, acked: Bool) {
        for (_, pending) in window.settle(tag: tag, multiple: multiple) {
            let message = pending.message
            if message.mandatory, let id = message.properties.messageID,
                let returnError = returned.removeValue(forKey: Self.returnKey(message.exchange, message.routingKey, id))
            {
                pending.completion(.failure(returnError))
            } else if acked {
                pending.completion(.success(()))
            } else {
                pending.completion(
                    .failure(
                        AMQPError(.nacked, context: "publish to \(message.exchange) with key \(message.routingKey)")))
            }
        }
    }

    /// Returns are matched to publishes by exchange, routing key and message id: the same message published to
    /// two places can be returned from one and routed by the other.
    private static func returnKey(_ exchange: String, _ routingKey: String, _ messageID: String) -> String {
        "\(exchange)\u{0}\(routingKey)\u{0}\(messageID)"
    }

    /// Fails every publish awaiting a confirm: the broker will not confirm them on this channel any more.
    private func failInFlightPublishes(_ error: (AMQPMessage) -> AMQPError) {
        for (_, pending) in window.drain() { pending.completion(.failure(error(pending.message))) }
        returned.removeAll()
    }

    // MARK: - Requests (direct reply-to)

    /// Sends waiting requests on the reply channel, opening it (and its no-ack consumer of the direct reply-to
    /// pseudo-queue) first.
    private func flushRequests() {
        guard !waitingRequests.isEmpty, let connection, !shared.withLock({ $0.blocked }) else { return }
        if !replyChannelOpen {
            do throws(AMQPError) {
                amqp_channel_open(connection, Self.replyChannel)
                try checkReply(channel: Self.replyChannel, context: "open the reply channel")
                arena.reset()
                amqp_basic_consume(
                    connection, Self.replyChannel, arena.bytes(Self.directReplyTo), arena.bytes("npq-replies"), 0, 1, 0,
                    amqp_empty_table)
                arena.reset()
                try checkReply(channel: Self.replyChannel, context: "consume \(Self.directReplyTo)")
                replyChannelOpen = true
            } catch {
                if self.connection == nil { return }  // lost: the requests wait for the next connection
                let requests = waitingRequests
                waitingRequests.removeAll()
                for pending in requests { pending.completion(.failure(error)) }
                return
            }
        }
        let requests = waitingRequests
        waitingRequests.removeAll()
        for var pending in requests {
            if pending.message.properties.correlationID?.isEmpty ?? true {
                pending.message.properties.correlationID = UUID().uuidString.lowercased()
            }
            pending.message.properties.replyTo = Self.directReplyTo
            let message = pending.message
            pendingReplies[message.properties.correlationID!] = pending
            arena.reset()
            var properties = arena.properties(message.properties)
            let exchange = arena.bytes(message.exchange)
            let routingKey = arena.bytes(message.routingKey)
            let status = message.body.withUnsafeBytes { body in
                amqp_basic_publish(
                    connection, Self.replyChannel, exchange, routingKey, message.mandatory ? 1 : 0, 0, &properties,
                    amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
            }
            arena.reset()
            if status != AMQP_STATUS_OK.rawValue {
                teardown(libraryError(.connectionLost, status, "send a request to \(message.exchange)"))
                return
            }
        }
    }

    /// Fails requests whose reply is overdue.
    private func expireReplies() {
        guard !pendingReplies.isEmpty else { return }
        let now = ContinuousClock.now
        for (correlation, pending) in pendingReplies where pending.deadline <= now {
            pendingReplies[correlation] = nil
            if pending.gather != nil {
                pending.completion(.success(pending.replies))
            } else {
                pending.completion(
                    .failure(AMQPError(.timeout, context: "wait for a reply from \(pending.message.routingKey)")))
            }
        }
    }

    private func failPendingReplies(_ error: AMQPError) {
        let pending = pendingReplies
        pendingReplies.removeAll()
        for request in pending.values { request.completion(.failure(error)) }
    }

    // MARK: - Consumers

    private func cancelConsumer(_ id: UInt64) {
        guard var record = consumers[id], !record.cancelled else { return }
        record.cancelled = true
        if record.open, let connection {
            arena.reset()
            amqp_basic_cancel(connection, record.channel, arena.bytes(record.registration.tag))
            arena.reset()
            do throws(AMQPError) {
                try checkReply(channel: record.channel, context: "cancel consumer on \(record.registration.queue)")
            } catch {
                logger.debug("consumer cancel failed", metadata: ["amqp.error": "\(error)"])
            }
        }
        // The channel stays open so deliveries already handed out can still be settled.
        if let current = consumers[id] { record.open = current.open }
        consumers[id] = record
        record.registration.continuation.finish()
    }

    private func settle(
        consumerID: UInt64, incarnation: UInt64, tag: UInt64, _ settlement: AMQPSettlement
    )
        -> Result<Void, AMQPError>
    {
        guard let connection, let record = consumers[consumerID], record.open, record.incarnation == incarnation else {
            return .failure(AMQPError(.staleDelivery, context: "settle delivery \(tag)"))
        }
        let status: Int32
        switch settlement {
        case .ack(let multiple):
            status = amqp_basic_ack(connection, record.channel, tag, multiple ? 1 : 0)
        case .nack(let requeue, let multiple):
            status = amqp_basic_nack(connection, record.channel, tag, multiple ? 1 : 0, requeue ? 1 : 0)
        case .reject(let requeue):
            status = amqp_basic_reject(connection, record.channel, tag, requeue ? 1 : 0)
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            let error = libraryError(.connectionLost, status, "settle delivery \(tag)")
            teardown(error)
            return .failure(AMQPError(.staleDelivery, context: "settle delivery \(tag)"))
        }
        switch settlement {
        case .ack(multiple: true), .nack(_, multiple: true): markSettled(consumerID, upTo: tag)
        default: markSettled(consumerID, tags: [tag])
        }
        return .success(())
    }

    /// Writes the single acks gathered from this batch of commands. A run of tags that starts just above
    /// everything already settled goes out as one `multiple` ack — the broker acknowledges exactly the same
    /// deliveries — instead of one frame per message.
    private func flushAcks() {
        guard !pendingAcks.isEmpty else { return }
        let batches = pendingAcks
        pendingAcks.removeAll(keepingCapacity: true)
        for (consumerID, tags) in batches {
            guard let connection, let record = consumers[consumerID], record.open else { continue }
            let sorted = tags.sorted()
            let contiguous = sorted.last! - sorted.first! + 1 == UInt64(sorted.count)
            var status = AMQP_STATUS_OK.rawValue
            if sorted.count > 1, contiguous, sorted.first! == record.settledFloor + 1 {
                status = amqp_basic_ack(connection, record.channel, sorted.last!, 1)
            } else {
                for tag in sorted where status == AMQP_STATUS_OK.rawValue {
                    status = amqp_basic_ack(connection, record.channel, tag, 0)
                }
            }
            guard status == AMQP_STATUS_OK.rawValue else {
                teardown(libraryError(.connectionLost, status, "acknowledge deliveries"))
                return
            }
            markSettled(consumerID, tags: sorted)
        }
    }

    private func markSettled(_ consumerID: UInt64, tags: [UInt64]) {
        guard var record = consumers[consumerID] else { return }
        for tag in tags where tag > record.settledFloor { record.settledAbove.insert(tag) }
        while record.settledAbove.remove(record.settledFloor + 1) != nil { record.settledFloor += 1 }
        consumers[consumerID] = record
    }

    private func markSettled(_ consumerID: UInt64, upTo tag: UInt64) {
        guard var record = consumers[consumerID] else { return }
        record.settledFloor = max(record.settledFloor, tag)
        record.settledAbove = record.settledAbove.filter { $0 > record.settledFloor }
        while record.settledAbove.remove(record.settledFloor + 1) != nil { record.settledFloor += 1 }
        consumers[consumerID] = record
    }

    // MARK: - Incoming frames

    /// Reads and handles every frame that has arrived, without blocking. Returns false when the connection died.
    private func pumpFrames() -> Bool {
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        for _ in 0..<512 {
            guard let connection else { return false }
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame_noblock(connection, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return true }
            guard status == AMQP_STATUS_OK.rawValue else {
                teardown(libraryError(.connectionLost, status, "read from the broker"))
                return false
            }
            dispatch(frame)
            if let connection = self.connection { amqp_maybe_release_buffers(connection) }
        }
        return connection != nil
    }

    private func dispatch(_ frame: amqp_frame_t) {
        guard frame.frame_type == AMQP_FRAME_METHOD else {
            logger.debug("ignoring a content frame outside a message", metadata: ["amqp.channel": "\(frame.channel)"])
            return
        }
        let method = frame.payload.method
        let channel = frame.channel
        switch method.id {
        case AMQP_BASIC_DELIVER_METHOD:
            deliver(method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee, channel: channel)
        case AMQP_BASIC_ACK_METHOD where channel == Self.publisherChannel:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(tag: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
        case AMQP_BASIC_NACK_METHOD where channel == Self.publisherChannel:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(tag: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
        case AMQP_BASIC_RETURN_METHOD:
            let basicReturn = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            handleReturn(basicReturn, channel: channel)
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            channelClosedByBroker(channel, code: close.reply_code, text: String(amqpBytes: close.reply_text))
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            if let connection {
                var ok = amqp_connection_close_ok_t()
                _ = amqp_send_method(connection, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
            }
            teardown(
                AMQPError(
                    .connectionClosedByBroker, context: "stay connected", replyCode: close.reply_code,
                    replyText: String(amqpBytes: close.reply_text)))
        case AMQP_BASIC_CANCEL_METHOD:
            let cancel = method.decoded.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
            let tag = String(amqpBytes: cancel.consumer_tag)
            if let id = consumers.first(where: { $0.value.registration.tag == tag })?.key {
                logger.warning("broker cancelled a consumer; resubscribing", metadata: ["amqp.channel": "\(channel)"])
                consumers[id]?.open = false
                consumers[id]?.retryAt = .now + .milliseconds(500)
                if let incarnation = consumers[id]?.incarnation { retire(incarnation) }
            }
        case AMQP_CONNECTION_BLOCKED_METHOD:
            shared.withLock { $0.blocked = true }
            logger.warning("broker blocked publishing (resource alarm); publishes wait")
        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            shared.withLock { $0.blocked = false }
            logger.info("broker unblocked publishing")
            let operations = pendingOperations
            pendingOperations.removeAll()
            for (operation, request, completion) in operations {
                perform(operation, request: request, completion: completion)
            }
        default:
            logger.debug("ignoring method", metadata: ["amqp.method": "\(method.id)", "amqp.channel": "\(channel)"])
        }
    }

    /// Reads the header and body frames that follow a `basic.deliver` or `basic.return` on `channel` and copies
    /// them out of rabbitmq-c's memory; `nil` when the read failed (already handled).
    private func readContent(channel: amqp_channel_t, context: String) -> (body: Data, properties: AMQPProperties)? {
        guard let connection else { return nil }
        var message = amqp_message_t()
        let reply = amqp_read_message(connection, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            handleFailedRead(reply, channel: channel, context: context)
            return nil
        }
        defer { amqp_destroy_message(&message) }
        let body = message.body.len > 0 ? Data(bytes: message.body.bytes, count: message.body.len) : Data()
        return (body, AMQPProperties(message.properties))
    }

    private func deliver(_ deliver: amqp_basic_deliver_t, channel: amqp_channel_t) {
        if channel == Self.replyChannel {
            guard let (body, properties) = readContent(channel: channel, context: "read a reply") else { return }
            // No ack: direct reply-to consumes in no-ack mode. A reply nobody waits for (late, after a timeout) is
            // dropped.
            if let correlation = properties.correlationID, var pending = pendingReplies[correlation] {
                pending.replies.append(AMQPReply(body: body, properties: properties))
                if pending.replies.count >= (pending.gather ?? 1) {
                    pendingReplies[correlation] = nil
                    pending.completion(.success(pending.replies))
                } else {
                    pendingReplies[correlation] = pending
                }
            }
            return
        }
        // Copied before reading on: the method's memory belongs to rabbitmq-c's frame pool.
        let tag = deliver.delivery_tag
        let exchange = String(amqpBytes: deliver.exchange)
        let routingKey = String(amqpBytes: deliver.routing_key)
        let redelivered = deliver.redelivered != 0
        guard let (body, properties) = readContent(channel: channel, context: "read a delivery"),
            let connection
        else { return }
        guard let (id, record) = consumers.first(where: { $0.value.channel == channel && $0.value.open }),
            !record.cancelled
        else {
            // No consumer on this channel any more, or it arrived while the cancel was on its way: give it back
            // for another consumer.
            _ = amqp_basic_reject(connection, channel, tag, 1)
            return
        }
        let delivery = AMQPDelivery(
            body: body, properties: properties, exchange: exchange, routingKey: routingKey, redelivered: redelivered,
            deliveryTag: tag,
            settlement: AMQPSettlementHandle(worker: self, consumerID: id, channelIncarnation: record.incarnation))
        record.registration.continuation.yield(delivery)
    }

    private func handleReturn(_ basicReturn: amqp_basic_return_t, channel: amqp_channel_t) {
        let code = basicReturn.reply_code
        let text = String(amqpBytes: basicReturn.reply_text)
        let exchange = String(amqpBytes: basicReturn.exchange)
        let routingKey = String(amqpBytes: basicReturn.routing_key)
        guard let (_, properties) = readContent(channel: channel, context: "read a returned message") else { return }
        if channel == Self.replyChannel {
            if let correlation = properties.correlationID, let pending = pendingReplies.removeValue(forKey: correlation)
            {
                pending.completion(
                    .failure(
                        AMQPError(
                            .unroutable, context: "send a request to \(exchange) with key \(routingKey)",
                            replyCode: code,
                            replyText: text)))
            }
            return
        }
        guard let id = properties.messageID else {
            logger.warning("broker returned a message without a message id", metadata: ["amqp.exchange": "\(exchange)"])
            return
        }
        returned[Self.returnKey(exchange, routingKey, id)] = AMQPError(
            .unroutable,
            context: "publish to \(exchange.isEmpty ? "the default exchange" : exchange) with key \(routingKey)",
            replyCode: code, replyText: text)
    }

    private func handleFailedRead(_ reply: amqp_rpc_reply_t, channel: amqp_channel_t, context: String) {
        let error = rpcError(reply, channel: channel, context: context)
        if connection != nil, error.code == .channelClosed {
            // amqp_read_message does not answer the broker's close; channelClosedByBroker sends close-ok.
            channelClosedByBroker(channel, code: error.replyCode ?? 0, text: error.replyText ?? "")
        } else if connection != nil {
            teardown(error)
        }
    }

    /// The broker closed a channel: answer close-ok, fail what was waiting on it, and let ``repairChannels()``
    /// reopen it.
    private func channelClosedByBroker(_ channel: amqp_channel_t, code: UInt16, text: String) {
        if let connection {
            var ok = amqp_channel_close_ok_t()
            _ = amqp_send_method(connection, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok)
        }
        logger.warning(
            "broker closed a channel", metadata: ["amqp.channel": "\(channel)", "amqp.reply": "\(code) \(text)"])
        if channel == Self.publisherChannel {
            publisherChannelOpen = false
            // The broker's reply names what was wrong (the missing exchange, the forged user id). Publishes that
            // match it get the broker's code; the others were only caught in the closure and may be sent again.
            // When none matches, none is blamed: all get a transient error (no reply code) and may be retried.
            func culprit(_ message: AMQPMessage) -> Bool {
                (!message.exchange.isEmpty && text.contains("'\(message.exchange)'"))
                    || (message.properties.userID.map { text.contains("'\($0)'") } ?? false)
            }
            let anyCulprit = window.entries.contains { culprit($0.message) }
            failInFlightPublishes { message in
                let context = "publish to \(message.exchange) with key \(message.routingKey)"
                if anyCulprit, culprit(message) {
                    return AMQPError(.channelClosed, context: context, replyCode: code, replyText: text)
                }
                return AMQPError(
                    .channelClosed, context: context, replyText: "channel closed by another publish: \(code) \(text)")
            }
        } else if channel == Self.controlChannel {
            controlChannelOpen = false
        } else if channel == Self.replyChannel {
            replyChannelOpen = false
            failPendingReplies(AMQPError(.channelClosed, context: "wait for a reply", replyCode: code, replyText: text))
        } else if let id = consumers.first(where: { $0.value.channel == channel })?.key {
            if let incarnation = consumers[id]?.incarnation { retire(incarnation) }
            consumers[id]?.open = false
            consumers[id]?.channel = 0
            freeConsumerChannels.append(channel)
        }
    }

    // MARK: - Failure and shutdown

    /// Drops the connection after a failure: everything in flight fails (its outcome is unknown), consumers wait to
    /// be reopened, and the next attempt is scheduled with exponential backoff and full jitter.
    private func teardown(_ error: AMQPError) {
        if let connection {
            amqp_destroy_connection(connection)
            self.connection = nil
        }
        controlChannelOpen = false
        publisherChannelOpen = false
        replyChannelOpen = false
        failPendingReplies(
            AMQPError(
                .connectionLost, context: "wait for a reply", replyCode: error.replyCode, replyText: error.replyText))
        shared.withLock { $0.blocked = false }
        failInFlightPublishes { message in
            AMQPError(
                .connectionLost, context: "publish to \(message.exchange) with key \(message.routingKey)",
                replyCode: error.replyCode, replyText: error.replyText, libraryStatus: error.libraryStatus,
                libraryDescription: error.libraryDescription)
        }
        liveIncarnations.withLock { $0.removeAll() }
        for id in consumers.keys {
            consumers[id]?.open = false
            consumers[id]?.channel = 0
        }
        freeConsumerChannels.removeAll()
        nextConsumerChannel = 4
        attempt += 1
        let delay = backoffDelay(attempt: attempt)
        nextAttemptAt = .now + delay
        setState(.reconnecting(attempt: attempt, lastError: error))
        logger.warning(
            "AMQP connection failed; retrying",
            metadata: [
                "amqp.error": "\(error)", "amqp.attempt": "\(attempt)", "amqp.retry_in_ms": "\(delay.milliseconds)",
            ])
        var keep: [(failFast: Bool, request: UInt64, completion: Completion)] = []
        for waiter in connectWaiters {
            if waiter.failFast { waiter.completion(.failure(error)) } else { keep.append(waiter) }
        }
        connectWaiters = keep
    }

    /// Full jitter: uniformly random in [0, min(max, initial × multiplier^(attempt−1))].
    private func backoffDelay(attempt: Int) -> Duration {
        let policy = configuration.reconnect
        let initial = policy.initialDelay.seconds
        let ceiling = min(policy.maximumDelay.seconds, initial * pow(policy.multiplier, Double(attempt - 1)))
        return .milliseconds(Int64(Double.random(in: 0...max(ceiling, 0.001)) * 1000))
    }

    private func shutDown() {
        if let connection {
            // Give publishes already sent a moment to be confirmed, then close cleanly.
            let deadline = ContinuousClock.now + .seconds(5)
            while window.outstanding > 0, ContinuousClock.now < deadline, self.connection != nil {
                waitForWake(orSocket: amqp_get_sockfd(connection), timeout: .milliseconds(50))
                _ = pumpFrames()
            }
            if let connection = self.connection {
                _ = amqp_connection_close(connection, Int32(AMQP_REPLY_SUCCESS))
                amqp_destroy_connection(connection)
                self.connection = nil
            }
        }
        let closed = AMQPError(.closed, context: "finish before the connection closed")
        failInFlightPublishes { _ in closed }
        for index in waitingPublishesHead..<waitingPublishes.count {
            waitingPublishes[index].completion(.failure(closed))
        }
        waitingPublishes.removeAll()
        for entry in pendingOperations { entry.completion(.failure(closed)) }
        for pending in waitingRequests { pending.completion(.failure(closed)) }
        waitingRequests.removeAll()
        failPendingReplies(closed)
        pendingOperations.removeAll()
        for waiter in connectWaiters { waiter.completion(.failure(closed)) }
        connectWaiters.removeAll()
        for record in consumers.values { record.registration.continuation.finish() }
        consumers.removeAll()
        liveIncarnations.withLock { $0.removeAll() }
        setState(.closed)
        let remaining = shared.withLock { state -> [Command] in
            state.closing = true
            state.finished = true
            defer { state.commands.removeAll() }
            return state.commands
        }
        for command in remaining { command.fail(closed) }
        logger.debug("AMQP connection closed")
        for completion in closeCompletions { completion() }
    }

    /// Marks the worker closing so that new commands fail at once, and asks the thread to shut down.
    func requestClose(completion: @escaping @Sendable () -> Void) {
        let finished = shared.withLock { state -> Bool in
            state.closing = true
            if !state.finished { state.commands.append(.close(completion: completion)) }
            return state.finished
        }
        // Closed already (a second close): the thread is gone, so answer here.
        if finished { completion() } else { wake() }
    }

    // MARK: - Errors from C

    private func check(_ status: Int32, _ code: AMQPError.Code, _ context: String) throws(AMQPError) {
        guard status == AMQP_STATUS_OK.rawValue else { throw libraryError(code, status, context) }
    }

    private func libraryError(_ code: AMQPError.Code, _ status: Int32, _ context: String) -> AMQPError {
        AMQPError(
            code, context: context, libraryStatus: status,
            libraryDescription: String(cString: amqp_error_string2(status)))
    }

    /// Checks the reply of the last synchronous call; on a channel or connection exception, acknowledges it and
    /// marks the channel (or the connection) closed before throwing.
    private func checkReply(channel: amqp_channel_t, context: String) throws(AMQPError) {
        guard let connection else { throw AMQPError(.connectionLost, context: context) }
        let reply = amqp_get_rpc_reply(connection)
        guard reply.reply_type != AMQP_RESPONSE_NORMAL else { return }
        let error = rpcError(reply, channel: channel, context: context)
        switch error.code {
        case .channelClosed:
            channelClosedByBroker(channel, code: error.replyCode ?? 0, text: error.replyText ?? "")
        default:
            teardown(error)
        }
        throw error
    }

    private func rpcError(_ reply: amqp_rpc_reply_t, channel: amqp_channel_t, context: String) -> AMQPError {
        switch reply.reply_type {
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case AMQP_CHANNEL_CLOSE_METHOD:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return AMQPError(
                    .channelClosed, context: context, replyCode: close.reply_code,
                    replyText: String(amqpBytes: close.reply_text))
            case AMQP_CONNECTION_CLOSE_METHOD:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                if let connection {
                    var ok = amqp_connection_close_ok_t()
                    _ = amqp_send_method(connection, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
                }
                return AMQPError(
                    .connectionClosedByBroker, context: context, replyCode: close.reply_code,
                    replyText: String(amqpBytes: close.reply_text))
            default:
                return AMQPError(.connectionLost, context: context, replyText: "unexpected method \(reply.reply.id)")
            }
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let code: AMQPError.Code = reply.library_error == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : .connectionLost
            return libraryError(code, reply.library_error, context)
        default:
            return AMQPError(.connectionLost, context: context, replyText: "no reply")
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
