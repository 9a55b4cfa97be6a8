import Foundation
import NPQTestSupport
import Testing

/// How `npq-cohorts` starts, as an operator runs it.
@Suite("Cohorts service start-up", .timeLimit(.minutes(2)))
struct CohortsStartupTests {
    @Test("A reference file that breaks a rule stops the service at start, naming the file, entry and field")
    func badReferenceFileStopsStart() async throws {
        let directory = NSTemporaryDirectory() + TestBroker.uniqueName("bad-reference")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reference/cohorts")
        for file in ["courses.json", "lead-providers.json", "schedules.json", "offerings.json"] {
            try FileManager.default.copyItem(
                atPath: shipped.appendingPathComponent(file).path, toPath: "\(directory)/\(file)")
        }
        let cohorts = try String(contentsOf: shipped.appendingPathComponent("cohorts.json"), encoding: .utf8)
            .replacingOccurrences(
                of: "\"registrationCloses\": \"2025-10-10\"", with: "\"registrationCloses\": \"2026-01-10\"")
        try Data(cohorts.utf8).write(to: URL(fileURLWithPath: "\(directory)/cohorts.json"))

        let run = try await ExecutableRun(
            "npq-cohorts", [],
            environment: [
                "NPQ_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/", "NPQ_DATA_DIR": directory,
                "NPQ_COHORTS_REFERENCE_DIR": directory, "NPQ_LOG_FORMAT": "text",
            ])
        #expect(run.status == 1)
        let text = run.output + run.error
        #expect(
            text.contains(
                "cohorts.json, entry 5 (2025a), registrationCloses: registrationCloses is 2026-01-10, outside 2025"))
    }

    @Test("A missing reference folder stops the service at start, naming the variable to set")
    func missingReferenceFolder() async throws {
        let run = try await ExecutableRun(
            "npq-cohorts", [],
            environment: [
                "NPQ_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/", "NPQ_DATA_DIR": NSTemporaryDirectory(),
                "NPQ_COHORTS_REFERENCE_DIR": "/nonexistent/cohorts", "NPQ_LOG_FORMAT": "text",
            ])
        #expect(run.status == 1)
        #expect((run.output + run.error).contains("set NPQ_COHORTS_REFERENCE_DIR"))
    }
}
