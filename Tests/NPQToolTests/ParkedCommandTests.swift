import AMQP
import Foundation
import MessageContracts
import NPQTestSupport
import Testing

/// `npq parked` and `npq status`, run as child processes against the test broker and a service running in the test
/// process (a service with no handlers of its own: every service answers these through its runtime).
@Suite("npq parked and npq status", .serialized, .timeLimit(.minutes(3)))
struct ParkedCommandTests {
    /// The virtual host's URL while ``withParkedMessage(_:_:)`` runs its body.
    @TaskLocal static var amqpURL: String?

    /// `npq ARGUMENTS` against the test broker (in the virtual host of ``withParkedMessage(_:_:)`` when inside it), as
    /// the tests' broker user, with `service` known to the tool.
    static func npq(_ arguments: [String], service: String) async throws -> ExecutableRun {
        // A parked command waits 120 s for the service's reply, not the default 15: `make test`'s first pass runs
        // every suite at once on two cores, and the timeout is a hang detector here, not a speed check.
        try await ExecutableRun(
            "npq", arguments.first == "parked" ? arguments + ["--timeout", "120"] : arguments,
            environment: [
                "NPQ_AMQP_URL": try amqpURL ?? TestBroker.variable("NPQ_TEST_AMQP_URL"), "NPQ_SERVICES": service,
            ])
    }

    /// Runs `body` with a bare service named after `prefix` and a message it parked (an unknown type, sent straight
    /// to its queue), whose id it passes on; all in a virtual host of their own, since the operators' commands go to
    /// every service's queue and other suites delete theirs meanwhile (see ``TestBroker/withVirtualHost(_:_:)``).
    static func withParkedMessage(
        _ prefix: String, _ body: (_ service: String, _ messageID: String, AMQPConnection) async throws -> Void
    ) async throws {
        try await TestBroker.withVirtualHost("npq-cli") { url in
            try await $amqpURL.withValue(url) { try await parkedMessage(prefix, url: url, body) }
        }
    }

    private static func parkedMessage(
        _ prefix: String, url: String,
        _ body: (_ service: String, _ messageID: String, AMQPConnection) async throws -> Void
    ) async throws {
        let name = "\(prefix)-t\(UUID().uuidString.prefix(8).lowercased())"
        let service = try await InProcessService(name: name, environment: ["NPQ_AMQP_URL": url]) { _ in }
        let connection = try await TestBroker.connect(name: name, url: url)
        do {
            let id = UUID().uuidString.lowercased()
            try await connection.publish(
                AMQPMessage(
                    exchange: "", routingKey: "npq.\(name)", body: Data(#"{"hello":"world"}"#.utf8),
                    properties: AMQPProperties(
                        contentType: "application/json", deliveryMode: .persistent, messageID: id,
                        type: "npq.nothing.here.v1", appID: "tests")))
            let client = try TestBroker.operatorClient(connection)
            #expect(
                await eventually {
                    let list = try? await client.ask(ParkedList(service: name), expecting: ParkedListResult.self)
                    return list?.total == 1
                })
            try await body(name, id, connection)
        } catch {
            try? await service.stop()
            await TestBroker.deleteServiceQueues(name, connection: connection)
            await connection.close()
            throw error
        }
        try await service.stop()
        await TestBroker.deleteServiceQueues(name, connection: connection)
        await connection.close()
    }

    @Test("list, show, replay and purge a parked message, as an operator reads them")
    func parkedLifecycle() async throws {
        try await Self.withParkedMessage("cli-parked") { service, id, _ in
            let list = try await Self.npq(["parked", "list", "--service", service], service: service)
            #expect(list.status == 0, "\(list.error)")
            #expect(list.lines.first == "\(service): 1 parked message match")
            let header = try #require(list.lines.dropFirst().first)
            #expect(header.hasPrefix("ID") && header.contains("REASON") && header.contains("DETAIL"))
            let row = try #require(list.lines.dropFirst(2).first)
            #expect(row.hasPrefix(id) && row.contains("nothing.here.v1") && row.contains("unknown_type"))

            let show = try await Self.npq(["parked", "show", "--service", service, id], service: service)
            #expect(show.status == 0, "\(show.error)")
            #expect(show.output.contains("Reason      unknown_type"))
            #expect(show.output.contains("x-npq-rejection: unknown_type"))
            #expect(show.output.contains(#""hello" : "world""#), "the JSON body, pretty-printed:\n\(show.output)")
            let body = try await Self.npq(["parked", "show", "--service", service, id, "--body"], service: service)
            #expect(body.status == 0, "stderr: \(body.error)")
            #expect(body.output == #"{"hello":"world"}"#, "status \(body.status), stderr: \(body.error)")

            // Replayed, it is refused again (nobody handles the type) and parked again.
            let replay = try await Self.npq(["parked", "replay", "--service", service, id], service: service)
            #expect(replay.status == 0, "\(replay.error)")
            #expect(replay.lines.first?.hasPrefix("Replayed 1 message to \(service)") == true)
            let listedAgain = await eventually {
                let json = try? await Self.npq(["parked", "list", "--service", service, "--json"], service: service)
                let result = json.flatMap {
                    try? ContractDecoder.decode(ParkedListResult.self, from: Data($0.output.utf8))
                }
                return result?.messages.first?.timesParked == 2
            }
            #expect(listedAgain, "the replayed message was not parked again")

            let unknown = try await Self.npq(
                ["parked", "replay", "--service", service, "no-such-id"], service: service)
            #expect(unknown.status == 1, "stderr: \(unknown.error)")
            #expect(unknown.output.contains("Not found: no-such-id"), "stderr: \(unknown.error)")

            let refused = try await Self.npq(["parked", "purge", "--service", service, "--all"], service: service)
            #expect(refused.status == 64)
            #expect(refused.error.contains("add --yes to confirm"))
            let purge = try await Self.npq(
                ["parked", "purge", "--service", service, "--all", "--yes"], service: service)
            #expect(purge.status == 0, "\(purge.error)")
            #expect(purge.output.contains("Purged 1 parked message of \(service)."))
            let empty = try await Self.npq(["parked", "list", "--service", service], service: service)
            #expect(empty.output.contains("\(service): no parked messages match."))
        }
    }

    @Test("a service name the suite does not have is refused with the nearest one")
    func unknownService() async throws {
        let run = try await ExecutableRun(
            "npq", ["parked", "list", "--service", "aplications"],
            environment: ["NPQ_AMQP_URL": try TestBroker.variable("NPQ_TEST_AMQP_URL")])
        #expect(run.status == 64)
        #expect(run.error.contains("there is no service 'aplications'; did you mean applications?"))
    }

    @Test("npq status shows each service's readiness, queue, parked messages, and names those that do not answer")
    func status() async throws {
        try await Self.withParkedMessage("cli-status") { service, _, _ in
            let missing = "\(service)-gone"
            var run: ExecutableRun?
            let counted = await eventually {
                run = try? await Self.npq(["status", "--wait", "2"], service: "\(service),\(missing)")
                return run?.output.contains("unknown_type 1") == true
            }
            let output = try #require(run).output
            #expect(counted, "\(output)")
            #expect(run?.status == 1, "a service that does not answer makes the status fail")
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("SERVICE") == true)
            let row = try #require(lines.first { $0.hasPrefix(service + " ") })
            #expect(row.contains("ready") && row.contains("1 (unknown_type 1)"))
            #expect(lines.contains { $0.hasPrefix(missing) && $0.contains("NO ANSWER") })

            let one = try await Self.npq(["status", "--service", service, "--json"], service: service)
            #expect(one.status == 0, "\(one.output)\(one.error)")
            let answers = try #require(
                try JSONSerialization.jsonObject(with: Data(one.output.utf8)) as? [[String: Any]])
            #expect(answers.count == 1)
            #expect(answers.first?["service"] as? String == service)
            #expect(answers.first?["ready"] as? Bool == true)
        }
    }
}
