import AMQP
import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Brings npq-cohorts in line with the cohort reference files, over the broker, and finds out what became of every
/// entry.
///
/// 1. Asks `cohort.list` for everything npq-cohorts holds, and compares each entry of the files with it: an entry
///    it already holds as the file says is `unchanged` and is not sent.
/// 2. Sends `cohort.define` for the cohorts that differ, then — once those are settled, since a schedule or
///    offering is checked against its cohort — `schedule.define` and `cohort.offering.set` for the rest. An entry
///    whose cohort npq-cohorts still does not have (its definition was refused) is `skipped`.
/// 3. A cohort refused only because its schedules would start before its new registration opening is sent again
///    once the files' schedules for it are in: moving a cohort and its schedules later needs that order.
///
/// The cohorts commands reply nothing when they succeed, so success is seen in npq-cohorts' state: `cohort.list`
/// is asked again until every entry sent is either held as the file says (`created` or `changed`) or refused (its
/// `message.rejected` comes back to `reply_to`). An entry npq-cohorts has plainly passed over — a message id it had
/// handled before, when the same change was refused or imported, undone and imported again — is sent once more
/// under a new id; one neither applied nor refused for `timeout` is `unanswered`.
struct ReferenceCohortImport: Sendable {
    let sender: ReferenceSender
    /// How long to wait for progress before giving up on what is still unanswered.
    let timeout: Duration

    /// How long after sending a message a `cohort.list` asked is surely behind it in npq-cohorts' queue: the
    /// messages are handed to the connection at once, so this is a wide margin.
    static let settledAfter = Duration.milliseconds(300)

    /// The rule npq-cohorts names when a cohort's new registration opening would come after its schedules' start.
    static let schedulesFirstRule = "schedules_start_after_opening"

    /// What npq-cohorts holds now.
    func held() async throws -> ReferenceCohortState {
        ReferenceCohortState(
            try await sender.client.ask(CohortList(), expecting: CohortListResult.self, timeout: timeout))
    }

    /// The entries of `data` compared with `state`, cohorts first, each kind in the files' order.
    static func entries(
        _ data: CohortReferenceData, comparedWith state: ReferenceCohortState
    )
        -> [ReferenceCohortEntry]
    {
        data.cohorts.map { ReferenceCohortEntry($0, held: state.cohorts[$0.identifier]) }
            + data.schedules.map {
                ReferenceCohortEntry($0, held: state.schedules[ReferenceCohortEntry.key($0.details)])
            }
            + data.offerings.map {
                let details = $0.details(acceptedApplications: 0)
                return ReferenceCohortEntry($0, held: state.offerings[ReferenceCohortEntry.key(details)])
            }
    }

    /// Sends what differs and returns every entry with its outcome, and npq-cohorts' state at the end.
    func run(_ entries: [ReferenceCohortEntry]) async throws -> ([ReferenceCohortEntry], ReferenceCohortState) {
        var entries = entries
        defer { sender.stopWaiting() }
        var state = try await settle(&entries, entries.indices.filter { entries[$0].kind == .cohort })

        let dependents = entries.indices.filter { entries[$0].kind != .cohort && entries[$0].needsSending }
        for index in dependents where !state.defines(cohort: entries[index].cohort) {
            entries[index].outcome = .skipped
            entries[index].note = "cohort \(entries[index].cohort) is not defined on npq-cohorts (see its entry)"
        }
        state = try await settle(&entries, dependents, state: state)

        let movedSchedules = Set(
            entries.filter { $0.kind == .schedule && ($0.outcome == .created || $0.outcome == .changed) }.map(\.cohort))
        let retried = entries.indices.filter { index in
            let entry = entries[index]
            return entry.kind == .cohort && entry.outcome == .refused && movedSchedules.contains(entry.cohort)
                && entry.refusal?.fieldErrors.contains { $0.rule == Self.schedulesFirstRule } == true
        }
        for index in retried { entries[index].outcome = nil }
        state = try await settle(&entries, retried, state: state, purpose: "after its schedules")
        return (entries, state)
    }

    /// Sends the entries at `indices` that still need it and waits until each is applied, refused or given up on;
    /// returns npq-cohorts' latest state.
    ///
    /// npq-cohorts handles its queue in order, and a `cohort.list` asked after a command is answered after the
    /// command is handled. So an entry still as it was, and not refused, in two answers to questions asked well
    /// after it was sent, was dropped (npq-cohorts had handled that message id before) or put off (a passing
    /// failure, retried later): it is sent again, once, under a new id. Defining something twice is harmless.
    private func settle(
        _ entries: inout [ReferenceCohortEntry], _ indices: [Int], state: ReferenceCohortState? = nil,
        purpose: String = "first"
    ) async throws -> ReferenceCohortState {
        var pending = indices.filter { entries[$0].needsSending }
        var latest = state
        var sentAt: [Int: ContinuousClock.Instant] = [:]
        var stillAsBefore: [Int: Int] = [:]
        var resent: Set<Int> = []
        func send(_ index: Int, id: String) {
            entries[index].messageID = id
            sentAt[index] = .now
            // Replies are waited for until the whole import is over: a refusal may come late, after a retry.
            sender.send(entries[index].message(id: id, sender: sender), waitingUpTo: timeout * 20)
        }
        for index in pending { send(index, id: entries[index].stableMessageID(purpose: purpose)) }
        var deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(50)
        while !pending.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(500))
            try sender.checkFailure()
            let asked = ContinuousClock.now
            guard let state = try await poll() else { continue }
            latest = state
            var progressed = false
            var again: [Int] = []
            pending.removeAll { index in
                let held = state.definition(of: entries[index])
                if let id = entries[index].messageID, let refusal = sender.refusal(of: id) {
                    entries[index].outcome = .refused
                    entries[index].refusal = refusal
                } else if held == entries[index].definition {
                    entries[index].applied()
                } else {
                    if held == entries[index].before, let sent = sentAt[index], asked >= sent + Self.settledAfter {
                        stillAsBefore[index, default: 0] += 1
                        if stillAsBefore[index]! >= 2, !resent.contains(index) { again.append(index) }
                    }
                    return false
                }
                progressed = true
                return true
            }
            for index in again {
                resent.insert(index)
                stillAsBefore[index] = 0
                send(index, id: Envelope.newMessageID())
            }
            if progressed || !again.isEmpty { deadline = ContinuousClock.now + timeout }
        }
        for index in pending {
            entries[index].outcome = .unanswered
            entries[index].note =
                (latest?.definition(of: entries[index]) ?? entries[index].before) != entries[index].before
                ? "npq-cohorts now holds another definition than the file's or the one it had before: someone "
                    + "changed it meanwhile; run the import again"
                : "neither applied nor refused within \(timeout.components.seconds) s: is npq-cohorts running and "
                    + "ready (/health/ready)? A message it failed to handle for a passing reason is retried after "
                    + "5 s, 30 s and 300 s"
        }
        if let latest { return latest }
        return try await held()
    }

    /// npq-cohorts' state now, or `nil` when it did not answer in time (it may be busy with what was just sent).
    private func poll() async throws -> ReferenceCohortState? {
        do {
            return try await held()
        } catch let error as AMQPError where error.code == .timeout {
            return nil
        }
    }
}
