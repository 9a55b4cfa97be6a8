import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Announces registration windows as the clock passes their dates: `cohort.registration.opened` on the first sweep
/// on or after the opening day, `cohort.registration.closed` on the first after the closing day.
///
/// Each announcement is recorded in the same transaction as its event, so it is made once across restarts; its
/// message id is derived from the cohort and the announcement, so even a replayed outbox cannot tell anyone twice.
enum RegistrationSweep {
    static func run(in context: TaskContext) async throws {
        let database = context.database
        let today = UKCalendar.date(at: context.now)
        for cohort in try await CohortsStore.cohorts(in: database) {
            let recorded = try await CohortsStore.announcements(cohort: cohort.identifier, in: database)
            for announcement in RegistrationAnnouncement.due(for: cohort, recorded: recorded, on: today) {
                try await CohortsStore.record(announcement, cohort: cohort.identifier, at: context.now, in: database)
                let key = "\(cohort.identifier) registration \(announcement.rawValue)"
                switch announcement {
                case .opened:
                    let offerings = try await CohortsStore.offerings(cohort: cohort.identifier, in: database)
                        .filter(\.offering.offered).map(\.details)
                    context.publish(
                        CohortRegistrationOpened(cohort: cohort.summary, offerings: offerings, openedAt: context.now),
                        key: key)
                case .closed:
                    context.publish(CohortRegistrationClosed(cohort: cohort.summary, closedAt: context.now), key: key)
                case .missed:
                    break
                }
                context.logger.info(
                    "registration window \(announcement.rawValue)",
                    metadata: ["cohort": "\(cohort.identifier)", "on": "\(today)"])
            }
        }
    }
}
