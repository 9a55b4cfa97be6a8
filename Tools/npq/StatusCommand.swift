import ArgumentParser
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq status`: asks every service how it is, over the broker, and prints one line each.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Each service's readiness, queue depths, parked messages and outbox; exits 1 unless all are ready.",
        discussion: """
            Every service answers for itself (one replica of each, when a service runs several: they share its \
            queue). A service that does not answer within --wait seconds is not consuming its queue: down, or stuck.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(name: .shortAndLong, help: "Only this service.")
    var service: String?

    @Option(help: "Seconds to wait for the services' answers.")
    var wait = 5

    @Flag(help: "Print the answers as JSON (one array).")
    var json = false

    func validate() throws {
        if let service { try KnownServices.check(service) }
        guard (1...120).contains(wait) else { throw ValidationError("--wait must be 1 to 120 seconds") }
    }

    func run() async throws {
        let expected = service.map { [$0] } ?? KnownServices.configured
        let answers = try await broker.withClient { client in
            try await client.gather(
                ServiceStatusGet(service: service), expecting: ServiceStatusResult.self, expected: expected.count,
                timeout: .seconds(wait))
        }
        var results: [ServiceStatusResult] = []
        var refusals: [(service: String, why: String)] = []
        for answer in answers {
            switch answer {
            case .success(let result): results.append(result)
            case .failure(let refusal as QueryRejectedError):
                refusals.append((refusal.rejection.service, refusal.rejection.detail))
            case .failure(let error): refusals.append(("?", "\(error)"))
            }
        }
        let silent = expected.filter { name in
            !results.contains { $0.service == name } && !refusals.contains { $0.service == name }
        }
        if json {
            let array =
                "["
                + results.map { String(decoding: ContractEncoder.encode($0), as: UTF8.self) }
                .joined(separator: ",") + "]"
            print(array)
        } else {
            print(ParkedOutput.safe(StatusOutput.table(results, refusals: refusals, silent: silent)))
        }
        if !silent.isEmpty || !refusals.isEmpty || results.contains(where: { !$0.ready }) { throw ExitCode.failure }
    }
}

/// How `npq status` prints the answers.
enum StatusOutput {
    static func table(
        _ results: [ServiceStatusResult], refusals: [(service: String, why: String)], silent: [String]
    ) -> String {
        let rows =
            results.sorted { ($0.service, $0.instance) < ($1.service, $1.instance) }.map { result -> [String] in
                let main = result.queues.first { $0.name == "npq.\(result.service)" }
                let retrying = result.queues.filter { $0.name.contains(".retry.") }.reduce(0) { $0 + $1.messages }
                let reasons = result.parkedByReason.map { "\($0.reason.rawValue) \($0.count)" }.joined(separator: ", ")
                let notReady = result.checks.filter { !$0.ready }.map { "\($0.name): \($0.detail ?? "not ready")" }
                return [
                    result.service, result.ready ? "ready" : "NOT READY (\(notReady.joined(separator: "; ")))",
                    main.map { "\($0.messages)" } ?? "?", main.map { "\($0.consumers)" } ?? "?", "\(retrying)",
                    result.parked == 0 ? "0" : "\(result.parked) (\(reasons))", "\(result.outboxDepth)",
                    result.instance,
                ]
            }
            + refusals.map { [$0.service, "REFUSED (\($0.why))", "-", "-", "-", "-", "-", "-"] }
            + silent.map { [$0, "NO ANSWER (not consuming: down or stuck)", "-", "-", "-", "-", "-", "-"] }
        return textTable(
            ["SERVICE", "STATUS", "QUEUED", "CONSUMERS", "RETRYING", "PARKED", "OUTBOX", "INSTANCE"], rows)
    }
}
