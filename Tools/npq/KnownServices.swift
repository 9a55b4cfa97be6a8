import ArgumentParser
import Foundation

/// The suite's services, as `--service` names them (their queues are `npq.<name>`).
enum KnownServices {
    static let names = ["applications", "eligibility", "cohorts", "senco", "notifications"]

    /// Refuses a name that is not a service's, suggesting the nearest (a deployment that renamed a service with
    /// NPQ_SERVICE_NAME may set NPQ_SERVICES to its list).
    static func check(_ name: String) throws {
        let known = configured
        guard !known.contains(name) else { return }
        let near = NameSuggestions.closest(to: name, among: known)
        throw ValidationError(
            "there is no service '\(name)'"
                + (near.isEmpty ? "" : "; did you mean \(near.joined(separator: " or "))?")
                + " The services are: \(known.joined(separator: ", ")).")
    }

    /// The services of this deployment: `NPQ_SERVICES` (comma-separated) or the five of the suite.
    static var configured: [String] {
        guard let list = ProcessInfo.processInfo.environment["NPQ_SERVICES"] else { return names }
        let given = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return given.isEmpty ? names : given
    }
}
