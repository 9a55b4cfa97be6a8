/// A W3C Trace Context `traceparent` value: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`.
///
/// Messages carry it so that a trace follows a conversation across services; each hop becomes a
/// child span with a new span id in the same trace.
public struct TraceParent: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The 32 lowercase hex digits of the trace id, never all zeros.
    public let traceID: String

    /// The 16 lowercase hex digits of the span that published the message, never all zeros.
    public let spanID: String

    /// The trace flags; bit 0 says the trace is sampled.
    public let flags: UInt8

    /// Creates a trace context from its parts, or `nil` when they are not valid W3C values.
    public init?(traceID: String, spanID: String, flags: UInt8) {
        guard Self.isValidID(traceID, length: 32), Self.isValidID(spanID, length: 16) else { return nil }
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// Parses a `traceparent` header value, or returns `nil` when it is malformed.
    ///
    /// Version `00` must be exactly 55 characters; a later version is read by its first four
    /// fields, as the specification asks, so that newer publishers still join the trace.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count >= 55 else { return nil }
        let fields = bytes[0..<55].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0].count == 2, fields[3].count == 2 else { return nil }
        let version = String(decoding: fields[0], as: UTF8.self)
        guard Self.isLowerHex(version), version != "ff" else { return nil }
        if version == "00" {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == UInt8(ascii: "-") else { return nil }
        }
        let flagText = String(decoding: fields[3], as: UTF8.self)
        guard Self.isLowerHex(flagText), let flags = UInt8(flagText, radix: 16) else { return nil }
        self.init(
            traceID: String(decoding: fields[1], as: UTF8.self),
            spanID: String(decoding: fields[2], as: UTF8.self),
            flags: flags)
    }

    /// A new sampled trace with a random trace id and span id.
    public static func random() -> TraceParent {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new sampled trace whose ids come from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> TraceParent {
        let traceID = hex(randomNonZero(using: &generator)) + hex(randomNonZero(using: &generator))
        return TraceParent(traceID: traceID, spanID: hex(randomNonZero(using: &generator)), flags: 0x01)!
    }

    /// A child span in the same trace, with a new random span id and the same flags.
    public func child() -> TraceParent {
        var generator = SystemRandomNumberGenerator()
        return child(using: &generator)
    }

    /// A child span whose span id comes from `generator`.
    public func child(using generator: inout some RandomNumberGenerator) -> TraceParent {
        TraceParent(traceID: traceID, spanID: Self.hex(Self.randomNonZero(using: &generator)), flags: flags)!
    }

    /// Whether the publisher sampled (recorded) this trace.
    public var isSampled: Bool {
        flags & 0x01 != 0
    }

    /// The header value, always version `00`.
    public var description: String {
        "00-\(traceID)-\(spanID)-\(Self.hex(UInt64(flags), width: 2))"
    }

    private static func randomNonZero(using generator: inout some RandomNumberGenerator) -> UInt64 {
        UInt64.random(in: 1...UInt64.max, using: &generator)
    }

    private static func hex(_ value: UInt64, width: Int = 16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func isLowerHex(_ text: String) -> Bool {
        text.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    private static func isValidID(_ id: String, length: Int) -> Bool {
        id.utf8.count == length && isLowerHex(id) && id.utf8.contains { $0 != UInt8(ascii: "0") }
    }
}
