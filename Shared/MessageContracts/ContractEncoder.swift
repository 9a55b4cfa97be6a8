import Foundation

/// Turns a contract value into its body: compact JSON with sorted keys, RFC 3339 UTC dates with
/// milliseconds, and slashes left unescaped.
///
/// Sorted keys make a message's bytes depend only on its content, which golden fixtures and
/// deduplication rely on.
public enum ContractEncoder {
    /// The body of `message`.
    ///
    /// Encoding a contract cannot fail unless the contract type itself is broken (for example a
    /// custom `encode(to:)` that throws), which the golden fixture tests would catch; so a
    /// failure stops the program rather than making every publisher handle an impossible error.
    public static func encode<M: MessageContract>(_ message: M) -> Data {
        do {
            return try makeJSONEncoder().encode(message)
        } catch {
            preconditionFailure("\(M.typeName) could not be encoded, which is a bug in the contract: \(error)")
        }
    }

    /// A `JSONEncoder` for the suite's conventions, for payloads that are not contracts
    /// themselves (such as parts of a reply).
    public static func makeJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }
}
