/// The limits a message body must stay within before the suite will look inside it.
///
/// They bound the memory and time one message can cost, so a hostile or broken publisher cannot
/// take a service down with a huge or deeply nested body.
public struct JSONParsingLimits: Hashable, Sendable {
    /// The deepest nesting any limit may allow, which keeps the recursive parser far from the
    /// end of a thread's stack.
    public static let deepestAllowed = 512

    /// 1 MiB bodies, 32 levels of nesting.
    public static let `default` = JSONParsingLimits()

    /// The largest body accepted, in bytes.
    public let maxBytes: Int

    /// The most arrays and objects that may enclose one another; a scalar body has depth 0.
    public let maxDepth: Int

    /// Creates limits; `maxDepth` must be between 1 and ``deepestAllowed``.
    public init(maxBytes: Int = 1_048_576, maxDepth: Int = 32) {
        precondition(maxBytes > 0, "maxBytes must be positive")
        precondition(
            (1...Self.deepestAllowed).contains(maxDepth), "maxDepth must be between 1 and \(Self.deepestAllowed)")
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}
