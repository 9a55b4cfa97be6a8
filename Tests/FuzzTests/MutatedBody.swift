/// A message body made by breaking (or rewriting) a valid one, and what was done to it.
struct MutatedBody: Sendable, CustomStringConvertible {
    /// The body's bytes.
    var bytes: [UInt8]
    /// The mutations applied, in words, e.g. `drop workplace.institution; flip bit 3 of byte 120`.
    var mutation: String

    /// The mutation and the body, quoted as Swift source.
    var description: String {
        "\(mutation): \(bytesLiteral(bytes))"
    }
}
