import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import ServiceRuntime
import Testing

/// A service and a broker outage. Stops the broker, so `make test` runs it in the second pass.
@Suite("Service during a broker outage (stops the broker)", .serialized, .timeLimit(.minutes(2)))
struct ServiceOutageFaultTests {
    @Test("SIGTERM while the broker is down stops the service within its grace period")
    func stopDuringOutage() async throws {
        let name = "probe-outage-t\(UUID().uuidString.prefix(8).lowercased())"
        let directory = NSTemporaryDirectory() + "npq-test-\(name)"
        try? FileManager.default.removeItem(atPath: directory)
        let probe = ProbeProcess(
            serviceName: name, dataDirectory: directory, environment: ["NPQ_SHUTDOWN_GRACE_SECONDS": "2"])
        let connection = try await TestBroker.connect()
        try probe.start()
        #expect(await TestBroker.waitUntilConsuming(name, connection: connection), "\(probe.log)")
        try await TestBroker.control("stop-app")
        try await Task.sleep(for: .seconds(1))
        let signalled = ContinuousClock.now
        probe.signal(SIGTERM)
        let status = await probe.waitForExit(timeout: .seconds(20))
        let took = ContinuousClock.now - signalled
        try await TestBroker.control("start-app")
        #expect(status == 0, "\(probe.log.suffix(1500))")
        #expect(took < .seconds(5), "took \(took)")
        #expect(await eventually { connection.state.isConnected })
        await TestBroker.deleteServiceQueues(name, connection: connection)
        await connection.close()
    }
}
