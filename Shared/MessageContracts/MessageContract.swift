/// A message type that travels between services: its payload shape, its identity on the wire, and
/// the documentation and golden example that go with it.
///
/// Every command, event, query and reply in the suite conforms, and lives in this module so that
/// publishers and consumers compile against the same definition instead of copying it.
///
/// A conforming type states its name and version; the wire identity (`typeName`, `routingKey`,
/// `exchange`) is derived from them so that nobody spells it by hand. Adding fields is allowed
/// within a version; anything else is a new type with `version + 1`, served alongside the old one.
public protocol MessageContract: Codable, Sendable, Equatable {
    /// The dotted lowercase name, without the `npq.` prefix or version, e.g. `"message.rejected"`.
    static var name: String { get }

    /// The contract version, starting at 1; a breaking change is a new type with the next version.
    static var version: Int { get }

    /// Whether this is a command, event, query or reply.
    static var kind: MessageKind { get }

    /// One sentence saying what the message means, used in generated documentation.
    static var summary: String { get }

    /// The JSON Schema of the payload, used to validate incoming bodies and to document them.
    ///
    /// Commands and queries should forbid unknown properties so that an integrator's typo is
    /// reported rather than ignored; events should allow them so that a field added later within
    /// the same version does not break consumers built against the earlier shape.
    static var schema: JSONSchema { get }

    /// A realistic example payload, used for golden fixtures and documentation.
    static var example: Self { get }
}
