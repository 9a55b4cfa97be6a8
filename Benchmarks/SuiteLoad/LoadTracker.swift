import Synchronization

/// What has happened to each benchmark application, and when. Written by the publishing tasks, the event listener
/// and the mail-drop watcher's thread; read by the phases. Applications are numbered from 0 across the whole run.
final class LoadTracker: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// One application's moments, as the driver saw them.
    struct Timeline: Sendable {
        /// When it was submitted: at fixed load the moment the schedule said (so a late publish counts against the
        /// suite), at full speed just before the publish.
        var submitted: Instant?
        /// When the applicant's "submitted" email appeared in the mail drop.
        var submittedEmail: Instant?
        /// When its lead provider's `application.accept` was published.
        var accepted: Instant?
        /// When the applicant's "accepted" email appeared.
        var acceptedEmail: Instant?
        /// When the school head's "member of staff accepted" email appeared.
        var staffEmail: Instant?
    }

    /// How far a range of applications has got.
    struct Progress: Sendable, Equatable {
        var submitted = 0
        var submittedEmails = 0
        var accepted = 0
        var acceptedEmails = 0
        var staffEmails = 0
        /// Applications whose provider accepts them (half of the range).
        var toAccept = 0

        var emails: Int { submittedEmails + acceptedEmails + staffEmails }

        /// Every application announced to its applicant, and every accepted one to the applicant and the school.
        var isComplete: Bool {
            submittedEmails == submitted && acceptedEmails == toAccept && staffEmails == toAccept
        }
    }

    private struct State {
        var timelines: [Timeline]
        var submitted = 0
        var submittedEmails = 0
        var emailsByKind: [String: Int] = [:]
        var unmatchedEmails = 0
        var repeatedEmails = 0
        var rejections: [String] = []
        var rejectionCount = 0
        var failures: [String] = []
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(timelines: Array(repeating: Timeline(), count: capacity)))
    }

    func submitted(_ indices: some Sequence<Int>, at instant: Instant) {
        state.withLock { state in
            for index in indices {
                state.timelines[index].submitted = instant
                state.submitted += 1
            }
        }
    }

    func accepted(_ index: Int, at instant: Instant) {
        state.withLock { $0.timelines[index].accepted = instant }
    }

    /// An email of `kind` (`X-NPQ-Notification-Kind`) about application `index` appeared at `instant`.
    func email(kind: String, index: Int?, at instant: Instant) {
        state.withLock { state in
            state.emailsByKind[kind, default: 0] += 1
            guard let index, state.timelines.indices.contains(index) else {
                state.unmatchedEmails += 1
                return
            }
            let path: WritableKeyPath<Timeline, Instant?>
            switch kind {
            case "application_submitted": path = \.submittedEmail
            case "application_accepted": path = \.acceptedEmail
            case "staff_accepted": path = \.staffEmail
            default:
                state.unmatchedEmails += 1
                return
            }
            guard state.timelines[index][keyPath: path] == nil else {
                state.repeatedEmails += 1
                return
            }
            state.timelines[index][keyPath: path] = instant
            if kind == "application_submitted" { state.submittedEmails += 1 }
        }
    }

    /// A `message.rejected` seen on the events exchange, described in a line.
    func rejected(_ description: String) {
        state.withLock { state in
            state.rejectionCount += 1
            if state.rejections.count < 10 { state.rejections.append(description) }
        }
    }

    /// Something the driver itself could not do (a publish the broker refused, an event it could not read).
    func failed(_ description: String) {
        state.withLock { state in
            if state.failures.count < 10 { state.failures.append(description) }
        }
    }

    /// Applications submitted whose applicant has not had the "submitted" email yet.
    var inFlight: Int {
        state.withLock { $0.submitted - $0.submittedEmails }
    }

    func progress(_ range: Range<Int>) -> Progress {
        state.withLock { state in
            var progress = Progress()
            for index in range {
                let timeline = state.timelines[index]
                if timeline.submitted != nil { progress.submitted += 1 }
                if timeline.submittedEmail != nil { progress.submittedEmails += 1 }
                if timeline.accepted != nil { progress.accepted += 1 }
                if timeline.acceptedEmail != nil { progress.acceptedEmails += 1 }
                if timeline.staffEmail != nil { progress.staffEmails += 1 }
                if ApplicationProfile.isAccepted(index) { progress.toAccept += 1 }
            }
            return progress
        }
    }

    func timelines(_ range: Range<Int>) -> [Timeline] {
        state.withLock { Array($0.timelines[range]) }
    }

    /// Emails by kind, emails that named no application of this run or came twice, refusals seen, driver failures.
    var anomalies: (emailsByKind: [String: Int], unmatched: Int, repeated: Int, rejections: Int, samples: [String]) {
        state.withLock { state in
            (
                state.emailsByKind, state.unmatchedEmails, state.repeatedEmails, state.rejectionCount,
                state.rejections + state.failures
            )
        }
    }

    var failures: [String] {
        state.withLock { $0.failures }
    }
}
