/// An email address with an optional display name: `Rhiannon Ní Bhriain <rhiannon@example.org>`.
///
/// The address must be plain ASCII (`local@domain`; this client does not speak SMTPUTF8, so give internationalised
/// domains in their `xn--` form). The display name may be any text without line breaks; the renderer quotes or
/// RFC 2047-encodes it as needed.
public struct SMTPMailbox: Sendable, Hashable {
    public var address: String
    public var displayName: String?

    public init(_ address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }
}
