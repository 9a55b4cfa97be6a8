import Foundation
import MessageContracts
import NPQTestSupport
import SENCOService
import ServiceRuntime

/// `npq-senco` under test, with the shipped reference data.
enum SENCOHarness {
    static let reference = ExecutableRun.repository.appendingPathComponent("reference")

    /// Runs `body` with `npq-senco` started and a clock at `now` (see `ServiceHarness`).
    static func with(now: Date, _ body: (ServiceHarness) async throws -> Void) async throws {
        let options = SENCOService.Options(
            cohortsReferenceDirectory: reference.appendingPathComponent("cohorts").path,
            regulationFile: reference.appendingPathComponent("senco/regulation.json").path,
            sweepInterval: .milliseconds(50))
        try await ServiceHarness.with(
            service: "senco", now: now,
            bindings: [(Topology.eventsExchange, "senco.#"), (Topology.eventsExchange, MessageRejected.routingKey)],
            configure: { app in try SENCOService.configure(&app, options: options) }, body)
    }
}

extension ServiceHarness {
    /// Moves the clock to 07:00 UTC on `day` (08:00 in London in summer, 07:00 in winter) and waits until the sweep
    /// has run with it.
    func move(to day: String) async throws {
        clock.set(RFC3339.parse("\(day)T08:00:00+01:00")!)
        try await waitForSweeps()
    }
}
