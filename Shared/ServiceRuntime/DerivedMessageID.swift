/// Message ids derived from another id and a purpose, so that a message produced twice for the same cause (after a
/// crash between publish and ack) carries the same id and its consumers drop the second.
///
/// The result has the UUID layout (version 8, RFC 9562 "custom"), computed with two 64-bit FNV-1a hashes.
public enum DerivedMessageID {
    /// The id for `purpose` derived from `source`: the same inputs always give the same UUID-shaped id.
    public static func make(from source: String, purpose: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in "\(purpose)\u{0}\(source)".utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        let high = (first & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000
        let low = (second & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let h = hex(high, 16)
        let l = hex(low, 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }
}
