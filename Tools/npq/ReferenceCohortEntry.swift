import AMQP
import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// One cohort, schedule or offering of the cohort reference files as `npq reference import cohorts` handles it: the
/// command that defines it, what npq-cohorts held for it before the import, and what became of it.
///
/// A definition is compared as the JSON body of its command, built the same way from the file's entry and from
/// npq-cohorts' `cohort.list` reply, so "unchanged" means exactly "the command would change nothing".
struct ReferenceCohortEntry: Sendable {
    /// What an entry defines, in the order the import sends them: a schedule or an offering needs its cohort.
    enum Kind: String, Sendable, Codable, CaseIterable {
        case cohort, schedule, offering

        /// The command that defines an entry of this kind.
        var contract: any MessageContract.Type {
            switch self {
            case .cohort: CohortDefine.self
            case .schedule: ScheduleDefine.self
            case .offering: CohortOfferingSet.self
            }
        }
    }

    /// What became of an entry.
    enum Outcome: String, Sendable, Codable, CaseIterable {
        /// npq-cohorts did not have it, and now has it as the file says.
        case created
        /// npq-cohorts had another definition, and now has the file's.
        case changed
        /// npq-cohorts already had the file's definition; nothing was sent.
        case unchanged
        /// npq-cohorts refused it; ``ReferenceCohortEntry/refusal`` says why.
        case refused
        /// Not sent, because the cohort it belongs to is not defined (its definition was refused).
        case skipped
        /// Sent, but its effect was not seen within the timeout.
        case unanswered
    }

    let kind: Kind
    /// How people name it: `2026b`, `2026b npq-leadership-autumn`, `2026b npq-senco teach-first`.
    let key: String
    /// The cohort it is or belongs to.
    let cohort: String
    /// The command's body.
    let definition: JSONValue
    /// npq-cohorts' definition before the import, as a command body; `nil` when it had none.
    let before: JSONValue?
    /// The command, ready to encode.
    private let payload: Payload

    var outcome: Outcome?
    /// The last message id it was sent with.
    var messageID: String?
    /// npq-cohorts' refusal, for ``Outcome/refused``.
    var refusal: MessageRejected?
    /// Why it was skipped or left unanswered, in words.
    var note: String?

    /// The command of an entry.
    private enum Payload: Sendable {
        case cohort(CohortDefine)
        case schedule(ScheduleDefine)
        case offering(CohortOfferingSet)
    }

    private init(kind: Kind, key: String, cohort: String, payload: Payload, definition: JSONValue, before: JSONValue?) {
        self.kind = kind
        self.key = key
        self.cohort = cohort
        self.payload = payload
        self.definition = definition
        self.before = before
        if definition == before { outcome = .unchanged }
    }

    /// The entry for a cohort of the files; `held` is npq-cohorts' definition of it, if any.
    init(_ cohort: Cohort, held: CohortSummary?) {
        let command = CohortDefine(cohort)
        self.init(
            kind: .cohort, key: cohort.identifier, cohort: cohort.identifier, payload: .cohort(command),
            definition: Self.json(command), before: held.map { Self.json(CohortDefine($0)) })
    }

    /// The entry for a schedule of the files; `held` is npq-cohorts' definition of it, if any.
    init(_ schedule: Schedule, held: ScheduleDetails?) {
        let command = ScheduleDefine(schedule.details)
        self.init(
            kind: .schedule, key: Self.key(schedule.details), cohort: schedule.cohort, payload: .schedule(command),
            definition: Self.json(command), before: held.map { Self.json(ScheduleDefine($0)) })
    }

    /// The entry for an offering of the files; `held` is npq-cohorts' definition of it, if any.
    init(_ offering: Offering, held: OfferingDetails?) {
        let command = CohortOfferingSet(offering.details(acceptedApplications: 0))
        self.init(
            kind: .offering, key: Self.key(offering.details(acceptedApplications: 0)), cohort: offering.cohort,
            payload: .offering(command), definition: Self.json(command),
            before: held.map { Self.json(CohortOfferingSet($0)) })
    }

    /// Whether it still has to be sent: it differs from what npq-cohorts held, and nothing has become of it yet.
    var needsSending: Bool { outcome == nil }

    /// What the file changes compared with npq-cohorts' definition; empty for a new or unchanged entry.
    var changes: [ReferenceFieldChange] {
        guard let before else { return [] }
        return ReferenceFieldChange.between(before, definition)
    }

    /// Records that npq-cohorts now holds the file's definition.
    mutating func applied() {
        outcome = before == nil ? .created : .changed
        refusal = nil
        note = nil
    }

    // MARK: - Sending

    /// The message id for sending this entry: derived from the entry, the file's definition and the definition it
    /// replaces, so that sending the same change again (a re-run after a lost connection) is dropped by npq-cohorts
    /// as a duplicate, while a different change, or the same one over another starting point, is a new message.
    /// `purpose` tells apart a deliberate second sending of the same change.
    func stableMessageID(purpose: String = "first") -> String {
        DerivedMessageID.make(
            from: [kind.rawValue, key, definition.jsonString(), before?.jsonString() ?? "absent"].joined(
                separator: "\u{0}"),
            purpose: "npq reference import cohorts: \(purpose)")
    }

    /// The AMQP message that sends the entry's command through `sender`, with `messageID`.
    func message(id messageID: String, sender: ReferenceSender) -> AMQPMessage {
        switch payload {
        case .cohort(let command): sender.message(command, id: messageID)
        case .schedule(let command): sender.message(command, id: messageID)
        case .offering(let command): sender.message(command, id: messageID)
        }
    }

    // MARK: - Keys and bodies

    /// `2026b npq-leadership-autumn`.
    static func key(_ schedule: ScheduleDetails) -> String { "\(schedule.cohort) \(schedule.schedule)" }

    /// `2026b npq-senco teach-first`.
    static func key(_ offering: OfferingDetails) -> String {
        "\(offering.cohort) \(offering.course) \(offering.leadProvider)"
    }

    /// A command's body as a JSON value, with the suite's encoding.
    static func json<M: MessageContract>(_ command: M) -> JSONValue {
        // The encoder writes valid JSON, which the parser reads back; nothing here can fail.
        (try? JSONValue(parsing: ContractEncoder.encode(command))) ?? .null
    }
}
