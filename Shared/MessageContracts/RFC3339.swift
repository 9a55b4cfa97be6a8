import Foundation

/// Reads and writes RFC 3339 timestamps, the form of every instant in headers and payloads.
///
/// Written here rather than with a formatter so that parsing is exactly as strict as RFC 3339
/// (a real calendar date, a `T`, seconds, an explicit offset) on every platform, and so that
/// formatting is deterministic for golden fixtures.
public enum RFC3339 {
    /// `2024-09-01T09:30:00.000Z`: UTC with exactly three fractional digits.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = millisecondsSince1970(date)
        let (seconds, milliseconds) = floorDivision(totalMilliseconds, 1_000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let day = CalendarDate(daysSince1970: Int(days))
        let hour = Int(secondOfDay / 3_600)
        let minute = Int(secondOfDay % 3_600 / 60)
        let second = Int(secondOfDay % 60)
        return "\(day)T\(CalendarDate.padded(hour, 2)):\(CalendarDate.padded(minute, 2)):"
            + "\(CalendarDate.padded(second, 2)).\(CalendarDate.padded(Int(milliseconds), 3))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `T` and `Z` in either case, or
    /// returns `nil`.
    ///
    /// The leap second `60` is refused because `Date` cannot represent it and no publisher in the
    /// suite produces one. So is an instant outside the years 0001 to 9999 in UTC (such as
    /// `0001-01-01T00:00:00+01:00`), which ``format(_:)`` could not write back.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let day = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = CalendarDate.number(bytes[11..<13]), hour < 24,
            let minute = CalendarDate.number(bytes[14..<16]), minute < 60,
            let second = CalendarDate.number(bytes[17..<19]), second < 60
        else { return nil }

        var index = 19
        var fractionDigits: ArraySlice<UInt8> = []
        if bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > start else { return nil }
            fractionDigits = bytes[start..<index]
        }

        guard index < bytes.count else { return nil }
        let offsetSeconds: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = CalendarDate.number(bytes[(index + 1)..<(index + 3)]), offsetHours < 24,
                let offsetMinutes = CalendarDate.number(bytes[(index + 4)..<(index + 6)]), offsetMinutes < 60
            else { return nil }
            let magnitude = offsetHours * 3_600 + offsetMinutes * 60
            offsetSeconds = bytes[index] == UInt8(ascii: "-") ? -magnitude : magnitude
        default:
            return nil
        }

        let wholeSeconds = day.daysSince1970 * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        let date: Date
        if fractionDigits.count <= 3, let digits = CalendarDate.number(fractionDigits) {
            // Computed exactly as `roundedToMilliseconds` does, so formatting and parsing round-trip
            // to the same `Date`.
            let milliseconds = digits * [1, 100, 10, 1][fractionDigits.count]
            date = Date(timeIntervalSince1970: Double(Int64(wholeSeconds) * 1_000 + Int64(milliseconds)) / 1_000)
        } else {
            let fraction = Double("0." + String(decoding: fractionDigits, as: UTF8.self)) ?? 0
            date = Date(timeIntervalSince1970: Double(wholeSeconds) + fraction)
        }
        // An offset can carry a local time in year 0001 or 9999 into year 0000 or 10000 in UTC, which `format`
        // cannot write: it would clamp the day and republish the message with another instant.
        guard representableMilliseconds.contains(millisecondsSince1970(date)) else { return nil }
        return date
    }

    /// The instants ``format(_:)`` can write, in milliseconds since 1970: 0001-01-01T00:00:00.000Z to
    /// 9999-12-31T23:59:59.999Z.
    private static let representableMilliseconds: ClosedRange<Int64> = {
        let millisecondsPerDay: Int64 = 86_400_000
        let first = Int64(CalendarDate(year: 1, month: 1, day: 1)!.daysSince1970) * millisecondsPerDay
        let dayAfterLast = Int64(CalendarDate(year: 9999, month: 12, day: 31)!.daysSince1970 + 1) * millisecondsPerDay
        return first...(dayAfterLast - 1)
    }()

    /// `date` rounded to the nearest millisecond, the precision ``format(_:)`` keeps.
    public static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970(date)) / 1_000)
    }

    private static func millisecondsSince1970(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }

    /// Division that rounds towards negative infinity, so instants before 1970 format correctly.
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}
