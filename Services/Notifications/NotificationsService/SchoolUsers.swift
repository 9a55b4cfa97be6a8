import Foundation

/// Which schools a broker user may register contacts for: the user the broker validated (AMQP `user_id`) is the
/// only identity trusted.
///
/// By convention a school's own user is `npq-school-<urn>` (e.g. `npq-school-100103`). `NPQ_SCHOOL_USERS` names
/// others — an MIS vendor acting for several schools — as `user=urn|urn,user=urn`. Operators may register for any
/// school.
struct SchoolUsers: Sendable {
    static let conventionPrefix = "npq-school-"

    var explicit: [String: Set<String>]
    var operators: Set<String>

    /// Parses `user=urn|urn,user=urn`; throws naming the bad pair.
    init(parsing text: String?, operators: Set<String>) throws(InvalidPair) {
        self.operators = operators
        explicit = [:]
        for pair in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let urns = parts.count == 2 ? parts[1].split(separator: "|").map(String.init) : []
            guard parts.count == 2, !parts[0].isEmpty, !urns.isEmpty,
                urns.allSatisfy({ $0.count == 6 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            else { throw InvalidPair(pair: pair) }
            explicit[parts[0], default: []].formUnion(urns)
        }
    }

    /// Whether `user` may register contacts for school `urn`.
    func may(_ user: String?, register urn: String) -> Bool {
        guard let user else { return false }
        if operators.contains(user) || explicit[user]?.contains(urn) == true { return true }
        return user == Self.conventionPrefix + urn
    }

    struct InvalidPair: Error, CustomStringConvertible {
        let pair: String
        var description: String { "'\(pair)' is not of the form user=urn|urn (6-digit URNs)" }
    }
}
