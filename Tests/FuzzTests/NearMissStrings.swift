import MessageContracts

/// Strings that look like a valid one and may or may not be: dates and instants assembled from random components
/// (month 13, day 0, 24:00, second 60, offsets up to ±24:59, years 0000 and 9999, up to a dozen fractional digits),
/// UUIDs with a stray character or case, digit strings a digit short or long, and small edits of anything else.
///
/// Fixed lists find only the edges someone thought of; components drawn around each edge find the combinations.
enum NearMissStrings {
    /// A string shaped like `original` that is sometimes valid and sometimes just not.
    static func near(_ original: String, using rng: inout some RandomNumberGenerator) -> String {
        if RFC3339.parse(original) != nil { return dateTime(using: &rng) }
        if CalendarDate(original) != nil { return date(using: &rng) }
        let bytes = Array(original.utf8)
        if bytes.count == 36, bytes[8] == UInt8(ascii: "-") { return uuid(using: &rng) }
        if !bytes.isEmpty, bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return digits(around: bytes.count, using: &rng)
        }
        return edit(original, using: &rng)
    }

    /// `YYYY-MM-DD` from components around their limits, sometimes written with the wrong width.
    static func date(using rng: inout some RandomNumberGenerator) -> String {
        let year = [0, 1, 1969, 1970, 2000, 2023, 2024, 2100, 9999, Int.random(in: 0...9999, using: &rng)]
            .randomElement(using: &rng)!
        let month = Bool.random(using: &rng) ? Int.random(in: 1...12, using: &rng) : Int.random(in: 0...13, using: &rng)
        let day =
            Bool.random(using: &rng)
            ? [28, 29, 30, 31].randomElement(using: &rng)! : Int.random(in: 0...32, using: &rng)
        let width = Int.random(in: 0..<12, using: &rng) == 0 ? 1 : 2
        return "\(padded(year, 4))-\(padded(month, width))-\(padded(day, 2))"
    }

    /// An RFC 3339 instant from components around their limits: the date as ``date(using:)`` makes it, times up to
    /// 25:60:61, zero to twelve fractional digits, and `Z`, `z` or offsets up to ±24:59, or none.
    static func dateTime(using rng: inout some RandomNumberGenerator) -> String {
        if Int.random(in: 0..<4, using: &rng) == 0 {
            // The first and last instants of the years allowed, moved by an offset that may carry them outside.
            let first = Bool.random(using: &rng)
            let minutes = padded(Int.random(in: 0...59, using: &rng), 2)
            let offset =
                "\(padded(Int.random(in: 0...23, using: &rng), 2)):\(padded(Int.random(in: 0...59, using: &rng), 2))"
            return first
                ? "0001-01-01T00:\(minutes):00\(Bool.random(using: &rng) ? "+" : "-")\(offset)"
                : "9999-12-31T23:\(minutes):59.999\(Bool.random(using: &rng) ? "+" : "-")\(offset)"
        }
        let day = date(using: &rng)
        let separator = ["T", "T", "T", "t", " "].randomElement(using: &rng)!
        let hour =
            Bool.random(using: &rng) ? [0, 23, 24].randomElement(using: &rng)! : Int.random(in: 0...25, using: &rng)
        let minute =
            Bool.random(using: &rng) ? [0, 59].randomElement(using: &rng)! : Int.random(in: 0...60, using: &rng)
        let second =
            Bool.random(using: &rng) ? [0, 59, 60].randomElement(using: &rng)! : Int.random(in: 0...61, using: &rng)
        let fractionDigits = [0, 0, 1, 3, 4, 9, 12].randomElement(using: &rng)!
        let fraction =
            fractionDigits == 0
            ? ""
            : "."
                + (0..<fractionDigits).map { _ in
                    Bool.random(using: &rng) ? "9" : "\(Int.random(in: 0...9, using: &rng))"
                }
                .joined()
        let zone: String
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: zone = "Z"
        case 1: zone = ["z", ""].randomElement(using: &rng)!
        default:
            let sign = Bool.random(using: &rng) ? "+" : "-"
            let hours =
                Bool.random(using: &rng)
                ? [0, 1, 14, 23, 24].randomElement(using: &rng)! : Int.random(in: 0...24, using: &rng)
            let minutes =
                Bool.random(using: &rng)
                ? [0, 30, 59].randomElement(using: &rng)! : Int.random(in: 0...60, using: &rng)
            zone = "\(sign)\(padded(hours, 2)):\(padded(minutes, 2))"
        }
        return "\(day)\(separator)\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))\(fraction)\(zone)"
    }

    /// A UUID of random hex digits in either case, sometimes with a character that is not hex, a group too short, or
    /// braces.
    static func uuid(using rng: inout some RandomNumberGenerator) -> String {
        let hex = Array("0123456789abcdefABCDEF")
        var groups = [8, 4, 4, 4, 12].map { length in String((0..<length).map { _ in hex.randomElement(using: &rng)! })
        }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            let group = Int.random(in: 0..<5, using: &rng)
            groups[group] = "g" + groups[group].dropFirst()
        case 1:
            let group = Int.random(in: 0..<5, using: &rng)
            groups[group] = String(groups[group].dropLast())
        case 2:
            return "{" + groups.joined(separator: "-") + "}"
        default:
            break
        }
        return groups.joined(separator: "-")
    }

    /// Digits, one fewer, as many or one more than `count`, sometimes with a space, a letter or a full-width digit.
    static func digits(around count: Int, using rng: inout some RandomNumberGenerator) -> String {
        let length = max(0, count + Int.random(in: -1...1, using: &rng))
        var text = String((0..<length).map { _ in Character("\(Int.random(in: 0...9, using: &rng))") })
        if !text.isEmpty, Int.random(in: 0..<3, using: &rng) == 0 {
            let intruder = [" ", "a", "E", "-", "１", "\u{0}"].randomElement(using: &rng)!
            let at = text.index(text.startIndex, offsetBy: Int.random(in: 0...length, using: &rng))
            text.insert(contentsOf: intruder, at: at)
        }
        return text
    }

    /// `original` with a space added, its case changed, a character dropped or doubled, or a character inserted.
    static func edit(_ original: String, using rng: inout some RandomNumberGenerator) -> String {
        guard let last = original.last else { return [" ", "\u{0}", "x"].randomElement(using: &rng)! }
        let inserted = BodyMutator.randomText(maxLength: 1, using: &rng)
        let at = original.index(original.startIndex, offsetBy: Int.random(in: 0...original.count, using: &rng))
        var withInsertion = original
        withInsertion.insert(contentsOf: inserted, at: at)
        let edits = [
            " " + original, original + " ", original.uppercased(), original.lowercased(), String(original.dropLast()),
            String(original.dropFirst()), original + original, original + String(last), withInsertion,
        ]
        return edits.randomElement(using: &rng)!
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
