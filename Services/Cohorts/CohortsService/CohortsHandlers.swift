import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// The cohorts service's message handlers: load, decide with the domain, store, publish.
enum CohortsHandlers {
    /// Who sent a command, for the audit trail: the broker-validated user, or `unknown` when the publisher set none.
    static func sender<M>(_ message: IncomingMessage<M>) -> String {
        message.publisher ?? "unknown"
    }

    static func cohortDefine(_ message: IncomingMessage<CohortDefine>, _ context: HandlerContext) async throws {
        do {
            _ = try await CohortDefinitions.define(Cohort(message.payload), by: sender(message), in: context)
        } catch {
            throw error.handlerError
        }
    }

    static func scheduleDefine(_ message: IncomingMessage<ScheduleDefine>, _ context: HandlerContext) async throws {
        do {
            _ = try await CohortDefinitions.define(Schedule(message.payload), by: sender(message), in: context)
        } catch {
            throw error.handlerError
        }
    }

    static func offeringSet(_ message: IncomingMessage<CohortOfferingSet>, _ context: HandlerContext) async throws {
        do {
            _ = try await CohortDefinitions.set(Offering(message.payload), by: sender(message), in: context)
        } catch {
            throw error.handlerError
        }
    }

    /// Assigns the schedule of an accepted application, publishes `participant.scheduled`, and counts the acceptance
    /// against its offering (publishing `cohort.offering.target-reached` when it reaches the target).
    static func applicationAccepted(
        _ message: IncomingMessage<ApplicationAccepted>, _ context: HandlerContext
    )
        async throws
    {
        let event = message.payload
        let database = context.database
        let previous = try await CohortsStore.acceptance(event.applicationID, in: database)
        if let previous, previous.cohort == event.cohort, previous.course == event.course,
            event.schedule == nil || event.schedule == previous.schedule
        {
            // The same acceptance under another message id (a republished event): already scheduled and counted.
            context.logger.info(
                "application already scheduled; ignoring the repeated acceptance",
                metadata: ["application": "\(event.applicationID.uuidString.lowercased())"])
            return
        }
        guard let cohort = try await CohortsStore.cohort(event.cohort, in: database) else {
            throw MessageRejection.field("cohort", rule: "known_cohort", "there is no cohort \(event.cohort)")
        }
        guard let course = try await CohortsStore.course(event.course, in: database) else {
            throw MessageRejection.field("course", rule: "known_course", "there is no course \(event.course)")
        }
        let acceptedOn = UKCalendar.date(at: event.acceptedAt)
        let schedules = try await CohortsStore.schedules(cohort: cohort.identifier, in: database)
        let assignment: ScheduleAssignment
        do {
            assignment = try ScheduleAssignment.assign(
                course: course, cohort: cohort, schedules: schedules, acceptedOn: acceptedOn, named: event.schedule)
        } catch {
            throw MessageRejection([error])
        }
        if let previous {
            // Accepted again into another cohort, course or schedule (after a deferral, say): rescheduled, and counted
            // against the new offering instead of the old one.
            try await CohortsStore.uncountAcceptance(
                cohort: previous.cohort, course: previous.course, leadProvider: previous.leadProvider, in: database)
        }
        try await CohortsStore.recordAcceptance(
            event, assignment: assignment, acceptedOn: acceptedOn, at: context.now, in: database)
        context.publish(
            ParticipantScheduled(
                applicationID: event.applicationID, cohort: cohort.identifier, course: course.identifier,
                courseGroup: course.group, leadProvider: event.leadProvider,
                schedule: assignment.schedule.identifier, scheduleDefaulted: assignment.defaulted,
                milestones: assignment.schedule.milestones, startDate: assignment.startDate,
                expectedOutcomeDate: assignment.expectedOutcomeDate, scheduledAt: context.now))

        guard
            let record = try await CohortsStore.offering(
                cohort: event.cohort, course: event.course, leadProvider: event.leadProvider, in: database)
        else {
            context.logger.warning(
                "accepted onto an offering this service does not know; not counted",
                metadata: [
                    "cohort": "\(event.cohort)", "course": "\(event.course)", "lead_provider": "\(event.leadProvider)",
                ])
            return
        }
        let accepted = try await CohortsStore.countAcceptance(record.offering, in: database)
        if !record.targetReached, let target = record.offering.recruitmentTarget, accepted >= target {
            try await CohortsStore.markTargetReached(record.offering, at: context.now, in: database)
            context.publish(
                CohortOfferingTargetReached(
                    cohort: event.cohort, course: event.course, leadProvider: event.leadProvider,
                    recruitmentTarget: target, acceptedApplications: accepted, applicationID: event.applicationID,
                    reachedAt: context.now))
        }
    }

    static func list(_ message: IncomingMessage<CohortList>, _ context: HandlerContext) async throws {
        let query = message.payload
        let database = context.database
        let on = query.on ?? UKCalendar.date(at: context.now)
        let offerings = Dictionary(grouping: try await CohortsStore.offerings(in: database), by: \.offering.cohort)
        let schedules = Dictionary(grouping: try await CohortsStore.schedules(in: database), by: \.cohort)
        let listings = try await CohortsStore.cohorts(in: database)
            .filter { cohort in
                (query.registration.map { cohort.registrationStatus(on: on) == $0 } ?? true)
                    && (query.year.map { cohort.startYear == $0 } ?? true)
            }
            .sorted { ($0.startDate, $0.identifier) < ($1.startDate, $1.identifier) }
            .map { cohort in
                CohortListing(
                    cohort: cohort.summary, registrationStatus: cohort.registrationStatus(on: on),
                    offerings: (offerings[cohort.identifier] ?? []).map(\.details),
                    schedules: (schedules[cohort.identifier] ?? []).map(\.details))
            }
        reply(CohortListResult(on: on, cohorts: listings), to: message, context)
    }

    static func calendar(_ message: IncomingMessage<CohortCalendar>, _ context: HandlerContext) async throws {
        let query = message.payload
        let database = context.database
        let on = query.on ?? UKCalendar.date(at: context.now)
        let entries = CohortTimeline.entries(
            cohorts: try await CohortsStore.cohorts(in: database),
            schedules: try await CohortsStore.schedules(in: database),
            courses: try await CohortsStore.courses(in: database), on: on
        )
        .filter { entry in
            (query.courseGroup.map { entry.courseGroup == $0 } ?? true)
                && (query.from.map { entry.startDate >= $0 } ?? true)
        }
        reply(CohortCalendarResult(on: on, entries: entries), to: message, context)
    }

    private static func reply<Q, R: MessageContract>(
        _ result: R, to message: IncomingMessage<Q>, _ context: HandlerContext
    ) {
        if !context.reply(result) {
            context.logger.notice("query without reply_to; nothing to answer", metadata: ["type": "\(Q.self)"])
        }
    }
}
