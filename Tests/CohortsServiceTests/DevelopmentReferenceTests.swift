import CohortsDomain
import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// The development reference data (`scripts/dev-reference.py`, which `make run`, the integrating guide's test and the
/// fault suite use) makes a cohort that takes applications today and can schedule every course it offers.
@Suite("The development reference data")
struct DevelopmentReferenceTests {
    @Test("the dev cohort is open today and has a schedule for every course it offers, so an acceptance is scheduled")
    func devCohortSchedulesEveryCourse() async throws {
        // Found by the fault suite: the dev cohort had offerings but no schedules, so every acceptance in `make run`
        // was parked by npq-cohorts ("cohort 2026z has no schedule for leadership courses").
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npq-dev-reference-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await GeneratorRun(["scripts/dev-reference.py", directory.path])
        try #require(run.status == 0, "\(run.error)")
        let data = try CohortReferenceData.load(
            directory: directory.appendingPathComponent("cohorts").path, hint: "dev-reference.py")
        let today = CalendarDate(Date(), in: TimeZone(identifier: "Europe/London")!)
        let cohort = try #require(data.cohorts.first { $0.identifier == "\(today.year)z" })
        #expect(cohort.registrationOpens <= today && today <= cohort.registrationCloses)
        let offered = Set(data.offerings.filter { $0.cohort == cohort.identifier && $0.offered }.map(\.course))
        #expect(!offered.isEmpty)
        for identifier in offered.sorted() {
            let course = try #require(data.courses.first { $0.identifier == identifier })
            let schedules = data.schedules.filter { $0.cohort == cohort.identifier && $0.courseGroup == course.group }
            #expect(!schedules.isEmpty, "no schedule for \(identifier) (\(course.group.rawValue))")
            if schedules.count == 1 {
                #expect(throws: Never.self, "\(identifier)") {
                    _ = try ScheduleAssignment.assign(
                        course: course, cohort: cohort, schedules: data.schedules, acceptedOn: today, named: nil)
                }
            } else {
                // Several schedules (early headship coaching): the provider names one; each must be assignable.
                for schedule in schedules {
                    #expect(throws: Never.self, "\(identifier) on \(schedule.identifier)") {
                        _ = try ScheduleAssignment.assign(
                            course: course, cohort: cohort, schedules: data.schedules, acceptedOn: today,
                            named: schedule.identifier)
                    }
                }
            }
        }
    }
}
