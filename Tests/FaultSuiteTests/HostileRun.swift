import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Synchronization

/// The hostile-input scenario's publishing and accounting: 10,000 messages from ``HostileInput``, each of which must
/// end parked with a reason, refused by the broker, or (the injection names) accepted as data and shown verbatim.
enum HostileRun {
    static let seed: UInt64 = 0x4E50_5138

    /// Publishes the hostile messages (as the registration front end, the school MIS and the lead provider
    /// `teach-first`, each through a connection of its own) while the workload runs.
    static func publish(_ run: Scenario) async throws {
        let broker = run.world.broker
        // Real applications of the other provider, assessed already, for the provider to try to act on.
        _ = await eventually(timeout: .seconds(60)) {
            run.ledger.applicationIDs(ofProvider: "ambition-institute").count >= 3
        }
        let others = run.ledger.applicationIDs(ofProvider: "ambition-institute")
        guard !others.isEmpty else { throw FaultSuiteError("no application of ambition-institute was assessed") }
        var generator = HostileInput(seed: seed)
        let messages = generator.messages(
            cohort: run.world.cohort, otherApplications: others,
            users: (
                broker.user("npq-registration"), broker.user("npq-school-mis"), broker.user("npq-lp-teach-first")
            ),
            forgedAs: broker.user("npq-school-mis"))
        run.hostileIDs.withLock { $0 = Set(messages.map(\.id)) }
        let (_, registration) = try await broker.connect("npq-registration")
        let (_, mis) = try await broker.connect("npq-school-mis")
        let (_, provider) = try await broker.connect("npq-lp-teach-first")
        defer {
            Task {
                for connection in [registration, mis, provider] { await connection.close() }
            }
        }
        var refused = 0
        var unconfirmed = 0
        for batch in stride(from: 0, to: messages.count, by: 250).map({ messages[$0..<min($0 + 250, messages.count)] })
        {
            for (sender, connection) in [
                (HostileInput.Sender.registration, registration), (.schoolMIS, mis), (.provider, provider),
            ] {
                let chosen = batch.filter { $0.sender == sender && !$0.kind.isRefusedByBroker }
                var pending = chosen.map(\.amqp)
                var rounds = 0
                while !pending.isEmpty {
                    let results = await connection.publish(pending)
                    pending = zip(pending, results).compactMap { message, result in
                        if case .failure(let error) = result, error.isTransient { return message }
                        return nil
                    }
                    rounds += 1
                    if rounds > 100 {
                        unconfirmed += pending.count
                        break
                    }
                    if !pending.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
                }
            }
            // A forged user_id closes the sender's channel: each on a connection of its own.
            for message in batch where message.kind.isRefusedByBroker {
                let (_, connection) = try await broker.connect("npq-registration")
                do {
                    try await connection.publish(message.amqp)
                    run.ledger.note("a message claiming another user_id was accepted by the broker")
                } catch {
                    if error.replyCode == 406 { refused += 1 }
                }
                await connection.close()
            }
        }
        if unconfirmed > 0 { run.ledger.note("\(unconfirmed) hostile messages were never confirmed by the broker") }
        var byKind: [String: [String: Int]] = [:]
        for message in messages { byKind[message.kind.rawValue, default: [:]]["sent", default: 0] += 1 }
        run.hostile.withLock {
            $0 = ScenarioResult.Hostile(
                sent: messages.count, parked: 0, refusedByBroker: refused, acceptedAsData: 0, unaccounted: 0,
                byKind: byKind)
        }
        pendingKinds.withLock { $0 = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0.kind) }) }
    }

    /// The kind of each hostile message sent, by message id.
    static let pendingKinds = Mutex<[String: HostileInput.Kind]>([:])

    /// What is wrong with how the email body (both parts, decoded) shows `name`, if anything: its text part must greet
    /// the applicant by `name` exactly, and its HTML part must show it as text — markup escaped, never run.
    static func display(of name: String, in body: String) -> String? {
        let parts = body.components(separatedBy: "Content-Type: text/html")
        guard parts[0].contains("Dear \(name),") else { return "name not in the text part as sent" }
        guard parts.count > 1, name.contains("<") else { return nil }
        let html = parts[1]
        guard !html.contains(name), !html.contains("<script") else { return "markup unescaped in the HTML part" }
        // Escaped, it reads as the name again once the entities are undone.
        var unescaped = html
        for (entity, character) in [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&#x27;", "'"),
            ("&#x2F;", "/"), ("&#x3D;", "="), ("&#x60;", "`"), ("&amp;", "&"),
        ] {
            unescaped = unescaped.replacingOccurrences(of: entity, with: character)
        }
        return unescaped.contains(name) ? nil : "name not in the HTML part"
    }

    /// Sorts every hostile message into its outcome, from the books.
    static func account(_ summary: inout ScenarioResult.Hostile, ledger: Ledger, ids: Set<String>) {
        let kinds = pendingKinds.withLock { $0 }
        let rejections = ledger.rejections
        let accepted = ledger.injectionNames
        var byKind: [String: [String: Int]] = [:]
        var parked = 0
        var asData = 0
        var unaccounted = 0
        for (id, kind) in kinds {
            let outcome: String
            if let rejection = rejections[id]?.first {
                outcome = "parked by \(rejection.service) (\(rejection.reason.rawValue))"
                if rejection.reason == kind.expectedReason {
                    parked += 1
                } else {
                    // Parked, but for the wrong reason: the check that should have caught it did not.
                    unaccounted += 1
                }
                if summary.samples[kind.rawValue] == nil {
                    let fields = rejection.fieldErrors.prefix(3).map { "\($0.field): \($0.rule)" }
                    summary.samples[kind.rawValue] =
                        String(rejection.detail.prefix(160))
                        + (fields.isEmpty ? "" : " [\(fields.joined(separator: "; "))]")
                }
            } else if kind.isRefusedByBroker {
                outcome = "refused by the broker (406)"
            } else if kind.isValidData, let number = HostileInput.number(inID: id),
                let name = accepted["injection.\(number)@example.sch.uk"]
            {
                let sent = HostileInput.injectionNames[number % HostileInput.injectionNames.count]
                let emails = ledger.injectionEmails["injection.\(number)@example.sch.uk"] ?? []
                if name != sent {
                    outcome = "ACCEPTED, name changed"
                    unaccounted += 1
                } else if emails.count != 1 {
                    outcome = "accepted, \(emails.count) emails"
                    unaccounted += 1
                } else if let problem = Self.display(of: sent, in: emails[0]) {
                    outcome = "ACCEPTED, \(problem)"
                    unaccounted += 1
                    if summary.samples[kind.rawValue] == nil {
                        summary.samples[kind.rawValue] = String(emails[0].prefix(600))
                    }
                } else {
                    outcome = "accepted; stored, and shown in its email, verbatim"
                    asData += 1
                }
            } else if let number = HostileInput.number(inID: id), accepted["hostile.\(number)@example.sch.uk"] != nil {
                outcome = "ACCEPTED, though invalid"
                unaccounted += 1
            } else {
                outcome = "no outcome"
                unaccounted += 1
            }
            byKind[kind.rawValue, default: [:]][outcome, default: 0] += 1
        }
        let refusedCount = kinds.values.filter(\.isRefusedByBroker).count
        if summary.refusedByBroker != refusedCount {
            unaccounted += refusedCount - summary.refusedByBroker
        }
        summary.parked = parked
        summary.acceptedAsData = asData
        summary.unaccounted = unaccounted
        summary.byKind = byKind
        let validParked = ledger.parked(excluding: ids)
        if !validParked.isEmpty {
            ledger.note("valid workload messages were parked beside the hostile ones: \(validParked)")
        }
    }
}
