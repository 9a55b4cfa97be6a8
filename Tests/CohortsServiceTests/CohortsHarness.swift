import CohortsService
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime

/// The cohorts service under test: reference files of its own beside the shipped courses and lead providers.
enum CohortsHarness {
    /// A 2030a cohort (capped, window 1 May–31 October 2030, start 18 November) with both leadership schedules, one
    /// specialist schedule and the four EHCO schedules; teach-first offers headship with a target of 2, and literacy
    /// and EHCO without one.
    static let cohorts = """
        {"cohorts": [
          {"cohort": "2030a", "fundingMode": "capped", "registrationOpens": "2030-05-01", "registrationCloses": "2030-10-31", "startDate": "2030-11-18"}
        ]}
        """
    static let schedules = """
        {"schedules": [
          {"cohort": "2030a", "schedule": "npq-leadership-autumn", "courseGroup": "leadership", "milestones": [{"declarationType": "started", "date": "2030-11-18"}, {"declarationType": "retained-1", "date": "2031-05-19"}, {"declarationType": "retained-2", "date": "2032-01-24"}, {"declarationType": "completed", "date": "2032-07-26"}]},
          {"cohort": "2030a", "schedule": "npq-leadership-spring", "courseGroup": "leadership", "milestones": [{"declarationType": "started", "date": "2031-02-24"}, {"declarationType": "retained-1", "date": "2031-08-25"}, {"declarationType": "retained-2", "date": "2032-04-26"}, {"declarationType": "completed", "date": "2032-10-25"}]},
          {"cohort": "2030a", "schedule": "npq-specialist-autumn", "courseGroup": "specialist", "milestones": [{"declarationType": "started", "date": "2030-11-18"}, {"declarationType": "retained-1", "date": "2031-05-19"}, {"declarationType": "completed", "date": "2032-02-16"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-november", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2030-11-01"}, {"declarationType": "completed", "date": "2031-11-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-december", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2030-12-01"}, {"declarationType": "completed", "date": "2031-12-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-march", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2031-03-01"}, {"declarationType": "completed", "date": "2032-03-01"}]},
          {"cohort": "2030a", "schedule": "npq-ehco-june", "courseGroup": "ehco", "milestones": [{"declarationType": "started", "date": "2031-06-01"}, {"declarationType": "completed", "date": "2032-06-01"}]}
        ]}
        """
    static let offerings = """
        {"offerings": [
          {"cohort": "2030a", "course": "npq-headship", "leadProvider": "teach-first", "recruitmentTarget": 2},
          {"cohort": "2030a", "course": "npq-leading-literacy", "leadProvider": "teach-first"},
          {"cohort": "2030a", "course": "npq-early-headship-coaching-offer", "leadProvider": "teach-first"}
        ]}
        """

    /// Runs `body` with `npq-cohorts` started on its own reference files and a clock at `now` (see `ServiceHarness`).
    static func with(now: Date, cohorts: String = cohorts, _ body: (ServiceHarness) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + TestBroker.uniqueName("cohorts-reference")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for file in ["courses.json", "lead-providers.json"] {
            try FileManager.default.copyItem(
                atPath: ExecutableRun.repository.appendingPathComponent("reference/cohorts/\(file)").path,
                toPath: "\(directory)/\(file)")
        }
        for (file, text) in [("cohorts.json", cohorts), ("schedules.json", schedules), ("offerings.json", offerings)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(file)"))
        }
        let options = CohortsService.Options(referenceDirectory: directory, sweepInterval: .milliseconds(50))
        try await ServiceHarness.with(
            service: "cohorts", now: now,
            bindings: [
                (Topology.eventsExchange, "participant.#"), (Topology.eventsExchange, "cohort.#"),
                (Topology.eventsExchange, "schedule.#"), (Topology.eventsExchange, MessageRejected.routingKey),
            ],
            configure: { app in try CohortsService.configure(&app, options: options) }, body)
    }
}

/// An instant from an RFC 3339 literal known to be valid.
func instant(_ text: String) -> Date { RFC3339.parse(text)! }
