import Foundation
import MessageContracts
import SQLKit

/// The operators' messages every service answers for itself, whatever else it does: `parked.list`, `parked.show`,
/// `parked.replay`, `parked.purge` and `service.status.get` (the `npq parked` and `npq status` commands).
///
/// Every service's queue receives them; a service takes no notice of one that names another service. Only broker
/// users in `NPQ_OPERATOR_USERS` may send them.
struct OperationsHandlers: Sendable {
    let topology: ServiceTopology
    let operators: Set<String>
    let readiness: ReadinessRegistry
    let queues: QueueMonitor
    let startedAt: Date
    let instance: String

    /// Where every service's queue listens for them.
    static var bindings: [TopologyBinding] {
        let handled: [any MessageContract.Type] = [
            ParkedList.self, ParkedShow.self, ParkedReplay.self, ParkedPurge.self, ServiceStatusGet.self,
        ]
        return handled.map { TopologyBinding(exchange: $0.exchange, routingKey: $0.routingKey) }
    }

    /// `host/pid`, telling replicas of a service apart.
    static func instanceName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
        return "\(host)/\(getpid())"
    }

    /// Adds the handlers to `router`.
    func register(on router: inout MessageRouter) {
        router.on(ParkedList.self, list)
        router.on(ParkedShow.self, show)
        router.on(ParkedReplay.self, replay)
        router.on(ParkedPurge.self, purge)
        router.on(ServiceStatusGet.self, status)
    }

    func list(_ message: IncomingMessage<ParkedList>, _ context: HandlerContext) async throws {
        guard message.payload.service == topology.service else { return }
        _ = try requireOperator(message.publisher, to: "list parked messages")
        let (total, messages) = try await ParkedStore.list(
            message.payload, service: topology.service, in: context.database)
        context.reply(ParkedListResult(service: topology.service, total: total, messages: messages))
    }

    func show(_ message: IncomingMessage<ParkedShow>, _ context: HandlerContext) async throws {
        guard message.payload.service == topology.service else { return }
        _ = try requireOperator(message.publisher, to: "read parked messages")
        let parked = try await ParkedStore.show(
            message.payload.messageID, service: topology.service, in: context.database)
        context.reply(ParkedShowResult(service: topology.service, message: parked))
    }

    func replay(_ message: IncomingMessage<ParkedReplay>, _ context: HandlerContext) async throws {
        guard message.payload.service == topology.service else { return }
        let user = try requireOperator(message.publisher, to: "replay parked messages")
        let selection = try Self.checked(message.payload.selection)
        let replay = try await ParkedStore.replay(
            selection, service: topology, by: user, at: context.now, in: context.database)
        context.enqueue(replay.messages)
        context.logger.notice(
            "parked messages replayed", metadata: ["count": "\(replay.result.replayed)", "operator": "\(user)"])
        context.publish(replay.result)
        context.reply(replay.result)
    }

    func purge(_ message: IncomingMessage<ParkedPurge>, _ context: HandlerContext) async throws {
        guard message.payload.service == topology.service else { return }
        let user = try requireOperator(message.publisher, to: "purge parked messages")
        let selection = try Self.checked(message.payload.selection)
        let purged = try await ParkedStore.purge(
            selection, service: topology.service, by: user, at: context.now, in: context.database)
        context.logger.notice(
            "parked messages purged", metadata: ["count": "\(purged.purged)", "operator": "\(user)"])
        context.publish(purged)
        context.reply(purged)
    }

    func status(_ message: IncomingMessage<ServiceStatusGet>, _ context: HandlerContext) async throws {
        if let service = message.payload.service, service != topology.service { return }
        _ = try requireOperator(message.publisher, to: "ask for the services' status")
        let report = await readiness.evaluate(timeout: .milliseconds(500))
        let counts = try await ParkedStore.counts(in: context.database)
        let outbox = try await MessageStore.depth(in: context.database)
        let oldest = try await MessageStore.oldestPending(in: context.database)
        let snapshot = queues.snapshot
        context.reply(
            ServiceStatusResult(
                service: topology.service, instance: instance, startedAt: startedAt, ready: report.isReady,
                checks: report.results.keys.sorted().map { name in
                    let result = report.results[name]!
                    return .init(
                        name: name, ready: result == .ready, detail: result == .ready ? nil : result.summary)
                },
                queues: snapshot?.queues ?? [], queuesCountedAt: snapshot?.countedAt, parked: counts.parked,
                parkedByReason: counts.byReason.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                    .init(reason: $0.key, count: $0.value)
                },
                replayed: counts.replayed, outboxDepth: outbox, oldestOutboxAt: oldest))
    }

    /// The publisher, when it is an operator.
    private func requireOperator(_ publisher: String?, to action: String) throws -> String {
        guard let publisher, operators.contains(publisher) else {
            throw MessageRejection.unauthorized("only operators (NPQ_OPERATOR_USERS) may \(action)")
        }
        return publisher
    }

    /// `selection` when it names messages one way: ids, or `all` with optional filters.
    static func checked(_ selection: ParkedSelection) throws -> ParkedSelection {
        switch (selection.messageIDs, selection.all) {
        case (.some, .some(true)):
            throw MessageRejection.field(
                "all", rule: "one_selection", "give either messageIDs or all: true, not both")
        case (.none, .none), (.none, .some(false)):
            throw MessageRejection.field(
                "messageIDs", rule: "one_selection", "give the parked messages' ids, or all: true to take every one")
        case (.some, _) where selection.reason != nil || selection.type != nil:
            throw MessageRejection.field(
                selection.reason != nil ? "reason" : "type", rule: "filter_needs_all",
                "reason and type filter all: true; with messageIDs, the ids alone decide")
        default:
            return selection
        }
    }
}
