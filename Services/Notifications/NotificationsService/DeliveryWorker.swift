import Foundation
import Logging
import MessageContracts
import NotificationsDomain
import SMTP
import ServiceRuntime

/// Delivers the notifications that are due, a few at a time, outside any transaction, and records each attempt in a
/// short transaction, with the `notification.delivered` or `notification.failed` it leads to; attempts that finish
/// while one is recorded share the next transaction (a ``GroupCommit``).
///
/// A redelivered or replayed event never sends twice: its notifications already exist, delivered. The one window is
/// a crash after a server accepted a message and before the attempt was recorded; the message is then sent again
/// after the restart, with the same `Message-ID` or `webhook-id`, so the receiver can recognise it (the mail drop
/// recognises it itself: the file is already there).
struct DeliveryWorker: Sendable {
    let email: any EmailTransport
    let webhooks: WebhookSender
    let sender: SMTPMailbox
    let retry: RetryPolicy
    let concurrency: Int
    let pollInterval: Duration

    /// How long a notification taken for an attempt is kept from other attempts: longer than any send can take.
    /// If its outcome is never recorded because the process died (or recording it failed), the worker's next start
    /// releases it at once (``NotificationsStore/releaseLeases(at:in:)``).
    static let lease: TimeInterval = 600

    /// This process's name on the leases it takes.
    static let leaseOwner = UUID().uuidString.lowercased()

    /// Keeps up to `concurrency` deliveries in flight, taking more as each finishes; at shutdown, finishes those in
    /// flight (recording them) and returns.
    func run(_ context: WorkerContext) async throws {
        // Nothing is in flight yet (a restarted run() starts after its task group drained): every lease is stale.
        let released = try await context.transaction("release stale leases") { task in
            try await NotificationsStore.releaseLeases(at: task.now, in: task.database)
        }
        if released > 0 {
            context.logger.warning(
                """
                notifications taken by a process that stopped mid-send are due again; a receiver may see one twice, \
                with the same Message-ID or webhook-id
                """, metadata: ["notifications": "\(released)"])
        }
        let recorder = GroupCommit<FinishedAttempt, Void>(executor: context.storeExecutor) { entries in
            await record(entries, context)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            while !context.isStopping && !Task.isCancelled {
                // Takes when half the slots or more are free (or none is busy): under load, one transaction takes
                // several due notifications instead of one per finished attempt.
                if running == 0 || concurrency - running >= max(1, concurrency / 2) {
                    let free = concurrency - running
                    let taken = try await context.transaction("take due notifications") { task in
                        try await NotificationsStore.take(
                            at: task.now, limit: free, leaseSeconds: Self.lease, owner: Self.leaseOwner,
                            in: task.database)
                    }
                    for delivery in taken {
                        group.addTask { await attempt(delivery, context, recorder) }
                    }
                    running += taken.count
                    if !taken.isEmpty { continue }
                }
                if running == 0 {
                    await context.waitForWork(atMost: pollInterval)
                    continue
                }
                try await group.next()
                running -= 1
            }
            while running > 0 {
                try await group.next()
                running -= 1
            }
        }
    }

    /// One attempt: send, then record what happened (returning once it is recorded).
    private func attempt(
        _ delivery: NotificationsStore.Delivery, _ context: WorkerContext,
        _ recorder: GroupCommit<FinishedAttempt, Void>
    ) async {
        var logger = context.logger
        logger[metadataKey: "notification"] = "\(delivery.id.uuidString.lowercased())"
        logger[metadataKey: "kind"] = "\(delivery.kind.rawValue)"
        logger[metadataKey: "channel"] = "\(delivery.channel.rawValue)"
        let result: Result<String, DeliveryFailure>
        do {
            result = .success(try await send(delivery, context: context, logger: logger))
        } catch {
            result = .failure(error)
        }
        await recorder.submit(
            FinishedAttempt(delivery: delivery, attempt: delivery.attempts + 1, result: result, logger: logger))
    }

    /// Records finished attempts in one transaction; should it fail, each on its own, so that one that cannot be
    /// recorded does not hold back the others. An attempt left unrecorded keeps its lease and is tried again when
    /// the lease ends (or at the next start).
    private func record(_ entries: [FinishedAttempt], _ context: WorkerContext) async {
        do {
            try await context.transaction("record delivery attempts") { task in
                for entry in entries {
                    try await record(
                        entry.delivery, attempt: entry.attempt, result: entry.result, task: task, logger: entry.logger)
                }
            }
            return
        } catch {
            guard entries.count > 1 else {
                entries.first?.logger.error(
                    "could not record a delivery attempt; it will be tried again", metadata: ["error": "\(error)"])
                return
            }
            context.logger.warning(
                "could not record delivery attempts together; recording each on its own",
                metadata: ["attempts": "\(entries.count)", "error": "\(error)"])
        }
        for entry in entries {
            do {
                try await context.transaction("record a delivery attempt") { task in
                    try await record(
                        entry.delivery, attempt: entry.attempt, result: entry.result, task: task, logger: entry.logger)
                }
            } catch {
                entry.logger.error(
                    "could not record a delivery attempt; it will be tried again", metadata: ["error": "\(error)"])
            }
        }
    }

    private func send(
        _ delivery: NotificationsStore.Delivery, context: WorkerContext, logger: Logger
    ) async throws(DeliveryFailure) -> String {
        switch delivery.channel {
        case .email:
            let email = SMTPEmail(
                from: sender,
                to: [SMTPMailbox(delivery.address, displayName: delivery.displayName.map(Self.singleLine))],
                subject: delivery.content.subject, textBody: delivery.content.text, htmlBody: delivery.content.html,
                messageID: "\(delivery.id.uuidString.lowercased())@\(sender.domain)", date: delivery.createdAt,
                headers: [
                    .init("X-NPQ-Notification-ID", delivery.id.uuidString.lowercased()),
                    .init("X-NPQ-Notification-Kind", delivery.kind.rawValue),
                ])
            let message: SMTPRenderedMessage
            do {
                message = try email.render()
            } catch {
                throw DeliveryFailure(
                    permanent: true, reason: "the email cannot be written: \(error)", summary: "email not renderable")
            }
            return try await self.email.deliver(message, logger: logger)
        case .webhook:
            let webhook: SchoolWebhook?
            do {
                webhook = try await context.transaction("webhook") { task in
                    try await NotificationsStore.webhook(school: delivery.schoolURN ?? "", in: task.database)
                }
            } catch {
                throw DeliveryFailure(permanent: false, reason: "\(error)", summary: "database")
            }
            // The school's endpoint and secret now: a school that moved its endpoint gets the retries there.
            guard let webhook else {
                throw DeliveryFailure(
                    permanent: true, reason: "the school no longer has a webhook registered",
                    summary: "webhook removed")
            }
            return try await webhooks.deliver(
                url: webhook.url, secret: webhook.secret, id: delivery.id, body: delivery.payload ?? "{}",
                at: context.now)
        }
    }

    /// A name as a header can carry it: control characters (a line break typed into a form) become spaces.
    static func singleLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    private func record(
        _ delivery: NotificationsStore.Delivery, attempt: Int, result: Result<String, DeliveryFailure>,
        task: TaskContext, logger: Logger
    ) async throws {
        let event = (delivery.id, delivery.kind, delivery.channel, delivery.recipient)
        switch result {
        case .success(let said):
            try await NotificationsStore.record(
                delivery.id, attempt: attempt, outcome: "delivered", detail: said, status: .delivered,
                nextAttemptAt: nil, at: task.now, in: task.database)
            logger.info("notification delivered", metadata: ["attempts": "\(attempt)"])
            task.publish(
                NotificationDelivered(
                    notificationID: event.0, kind: event.1, channel: event.2, recipient: event.3,
                    schoolURN: delivery.schoolURN, applicationID: delivery.applicationID, causeID: delivery.causeID,
                    attempts: attempt, deliveredAt: task.now),
                key: "\(delivery.id) delivered")
        case .failure(let failure):
            let delay = failure.permanent ? nil : retry.delay(after: attempt)
            if let delay {
                let next = task.now.addingTimeInterval(RetryPolicy.seconds(delay))
                try await NotificationsStore.record(
                    delivery.id, attempt: attempt, outcome: "transient", detail: failure.reason, status: .pending,
                    nextAttemptAt: next, at: task.now, in: task.database)
                logger.warning(
                    "notification not delivered; trying again later",
                    metadata: ["attempts": "\(attempt)", "failure": "\(failure.summary)", "retry_in": "\(delay)"])
                return
            }
            try await NotificationsStore.record(
                delivery.id, attempt: attempt, outcome: failure.permanent ? "permanent" : "transient",
                detail: failure.reason, status: .failed, nextAttemptAt: nil, at: task.now, in: task.database)
            logger.error(
                "notification given up",
                metadata: [
                    "attempts": "\(attempt)", "failure": "\(failure.summary)", "permanent": "\(failure.permanent)",
                ])
            task.publish(
                NotificationFailed(
                    notificationID: event.0, kind: event.1, channel: event.2, recipient: event.3,
                    schoolURN: delivery.schoolURN, applicationID: delivery.applicationID, causeID: delivery.causeID,
                    attempts: attempt, reason: String(failure.reason.prefix(1_000)), permanent: failure.permanent,
                    failedAt: task.now),
                key: "\(delivery.id) failed")
        }
    }
}

/// The sender address from configuration: `Name <address>` or a bare address.
enum Mailbox {
    static func parse(_ text: String, variable: String) throws -> SMTPMailbox {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            guard StringFormat.email.matches(address) else { throw invalid(text, variable) }
            return SMTPMailbox(address, displayName: name.isEmpty ? nil : name)
        }
        guard StringFormat.email.matches(trimmed) else { throw invalid(text, variable) }
        return SMTPMailbox(trimmed)
    }

    private static func invalid(_ text: String, _ variable: String) -> ConfigurationError {
        ConfigurationError(
            code: .invalidValue, variable: variable, value: text,
            rule: "must be an email address, or a name and an address as Name <address@example.org>")
    }
}

/// An attempt that has finished, to be recorded.
struct FinishedAttempt: Sendable {
    let delivery: NotificationsStore.Delivery
    let attempt: Int
    let result: Result<String, DeliveryFailure>
    let logger: Logger
}

extension SMTPMailbox {
    /// The address's domain, for message ids.
    var domain: String { address.split(separator: "@").last.map(String.init) ?? "npq.localhost" }
}
