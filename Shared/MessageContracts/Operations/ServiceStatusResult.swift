import Foundation

/// One service's answer to ``ServiceStatusGet``: its readiness, its queues, its parked messages and its outbox.
public struct ServiceStatusResult: MessageContract {
    /// One readiness check (broker, database, topology).
    public struct Check: Codable, Sendable, Equatable {
        public var name: String
        public var ready: Bool
        /// Why not, when not ready.
        public var detail: String?

        public init(name: String, ready: Bool, detail: String? = nil) {
            self.name = name
            self.ready = ready
            self.detail = detail
        }
    }

    /// One of the service's queues, as the broker last counted it.
    public struct Queue: Codable, Sendable, Equatable {
        public var name: String
        /// Messages ready for delivery (not those delivered and not yet acknowledged).
        public var messages: Int
        public var consumers: Int

        public init(name: String, messages: Int, consumers: Int) {
            self.name = name
            self.messages = messages
            self.consumers = consumers
        }
    }

    /// How many parked messages have one reason.
    public struct ReasonCount: Codable, Sendable, Equatable {
        public var reason: RejectionReason
        public var count: Int

        public init(reason: RejectionReason, count: Int) {
            self.reason = reason
            self.count = count
        }
    }

    public var service: String
    /// The host (container) and process answering, to tell replicas apart.
    public var instance: String
    public var startedAt: Date
    public var ready: Bool
    public var checks: [Check]
    /// The main queue, the retry tiers and the parked queue, counted at ``queuesCountedAt`` (every few seconds).
    public var queues: [Queue]
    public var queuesCountedAt: Date?
    /// Messages set aside and not replayed since, in all and by reason.
    public var parked: Int
    public var parkedByReason: [ReasonCount]
    /// Messages replayed and not parked again.
    public var replayed: Int
    /// Messages committed and not yet confirmed by the broker, and when the oldest was committed.
    public var outboxDepth: Int
    public var oldestOutboxAt: Date?

    public init(
        service: String, instance: String, startedAt: Date, ready: Bool, checks: [Check], queues: [Queue],
        queuesCountedAt: Date?, parked: Int, parkedByReason: [ReasonCount], replayed: Int, outboxDepth: Int,
        oldestOutboxAt: Date?
    ) {
        self.service = service
        self.instance = instance
        self.startedAt = startedAt
        self.ready = ready
        self.checks = checks
        self.queues = queues
        self.queuesCountedAt = queuesCountedAt
        self.parked = parked
        self.parkedByReason = parkedByReason
        self.replayed = replayed
        self.outboxDepth = outboxDepth
        self.oldestOutboxAt = oldestOutboxAt
    }

    public static let name = "service.status.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary =
        "One service's status: readiness checks, its queues' depths and consumers, parked messages by reason, and its outbox."

    public static var schema: JSONSchema {
        let name = JSONSchema.string(minLength: 1, maxLength: 255)
        let count = JSONSchema.integer(minimum: 0)
        return .object(
            [
                "service": JSONSchema.serviceName.described("The service."),
                "instance": name.described("Host and process id."),
                "startedAt": JSONSchema.dateTime.described("When the process started."),
                "ready": JSONSchema.boolean.described("Whether every check is ready."),
                "checks": .array(
                    of: .object(
                        [
                            "name": name.described("broker, database or topology."),
                            "ready": JSONSchema.boolean.described("Whether it is ready."),
                            "detail": JSONSchema.string(maxLength: 500).nullable().described("Why not."),
                        ], required: ["name", "ready"], additionalProperties: true), maxItems: 20
                ).described("The readiness checks."),
                "queues": .array(
                    of: .object(
                        [
                            "name": name.described("The queue."),
                            "messages": count.described("Messages ready for delivery."),
                            "consumers": count.described("Consumers."),
                        ], required: ["name", "messages", "consumers"], additionalProperties: true), maxItems: 20
                ).described("The service's queues."),
                "queuesCountedAt": JSONSchema.dateTime.nullable().described("When the queues were counted."),
                "parked": count.described("Messages parked and not replayed since."),
                "parkedByReason": .array(
                    of: .object(
                        [
                            "reason": .enumeration(of: RejectionReason.self).described("The reason."),
                            "count": count.described("How many."),
                        ], required: ["reason", "count"], additionalProperties: true), maxItems: 20
                ).described("Parked messages by reason."),
                "replayed": count.described("Messages replayed and not parked again."),
                "outboxDepth": count.described("Messages waiting to be published."),
                "oldestOutboxAt": JSONSchema.dateTime.nullable().described("When the oldest was committed."),
            ],
            required: [
                "service", "instance", "startedAt", "ready", "checks", "queues", "parked", "parkedByReason", "replayed",
                "outboxDepth",
            ],
            additionalProperties: true)
    }

    public static var example: ServiceStatusResult {
        ServiceStatusResult(
            service: "applications", instance: "npq-applications-1/1",
            startedAt: RFC3339.parse("2026-11-20T06:00:00Z")!,
            ready: true,
            checks: [
                Check(name: "broker", ready: true), Check(name: "database", ready: true),
                Check(name: "topology", ready: true),
            ],
            queues: [
                Queue(name: "npq.applications", messages: 3, consumers: 1),
                Queue(name: "npq.applications.retry.1", messages: 0, consumers: 0),
                Queue(name: "npq.applications.retry.2", messages: 0, consumers: 0),
                Queue(name: "npq.applications.retry.3", messages: 0, consumers: 0),
                Queue(name: "npq.applications.parked", messages: 0, consumers: 1),
            ],
            queuesCountedAt: RFC3339.parse("2026-11-20T10:00:00Z")!, parked: 2,
            parkedByReason: [
                ReasonCount(reason: .invalidFields, count: 1), ReasonCount(reason: .ruleViolation, count: 1),
            ],
            replayed: 0, outboxDepth: 0, oldestOutboxAt: nil)
    }
}
