import Foundation

/// Which lead provider a broker user acts for: the user the broker validated (AMQP `user_id`) is the only
/// identity trusted, never a field of the message.
///
/// By convention a provider's user is `npq-lp-<provider>` (e.g. `npq-lp-teach-first`); `NPQ_LEAD_PROVIDER_USERS`
/// adds or overrides pairs as `user=provider,user=provider`.
struct LeadProviderUsers: Sendable {
    static let conventionPrefix = "npq-lp-"

    var explicit: [String: String]

    /// Parses `user=provider,user=provider`; `nil` names the bad pair.
    init(parsing text: String?) throws(InvalidPair) {
        explicit = [:]
        for pair in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw InvalidPair(pair: pair) }
            explicit[parts[0]] = parts[1]
        }
    }

    /// The provider `user` acts for, if any.
    func provider(for user: String?) -> String? {
        guard let user else { return nil }
        if let provider = explicit[user] { return provider }
        return user.hasPrefix(Self.conventionPrefix) ? String(user.dropFirst(Self.conventionPrefix.count)) : nil
    }

    struct InvalidPair: Error, CustomStringConvertible {
        let pair: String
        var description: String { "'\(pair)' is not of the form user=provider" }
    }
}
