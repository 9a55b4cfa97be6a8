import Foundation

/// A day in the proleptic Gregorian calendar with no time or time zone, written `YYYY-MM-DD`.
///
/// Payloads use it for dates that are days rather than instants (appointment dates, deadlines,
/// cohort starts), so that a deadline does not move when it is read in another time zone. Every
/// value is a real date: 2024-02-29 exists, 2023-02-29 and 2024-02-30 do not.
public struct CalendarDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible,
    LosslessStringConvertible
{
    /// The year, 1 to 9999, so that it always prints as four digits.
    public let year: Int

    /// The month, 1 to 12.
    public let month: Int

    /// The day of the month, 1 to the length of the month.
    public let day: Int

    /// The valid years: four-digit ones.
    public static let years = 1...9999

    /// Creates a date, or returns `nil` when it does not exist in the calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`, returning `nil` for any other form or for a date that does not exist.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
            let day = Self.number(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day on which `instant` falls in `timeZone` (UTC unless given).
    public init(_ instant: Date, in timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) {
        let offset = Double(timeZone.secondsFromGMT(for: instant))
        let days = Int(((instant.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
        self.init(daysSince1970: days)
    }

    /// The date `days` days after 1970-01-01 (negative for earlier), clamped to ``years``.
    public init(daysSince1970 days: Int) {
        let lowest = CalendarDate(year: 1, month: 1, day: 1)!.daysSince1970
        let highest = CalendarDate(year: 9999, month: 12, day: 31)!.daysSince1970
        let (year, month, day) = Self.civil(fromDaysSince1970: min(max(days, lowest), highest))
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01, negative before it.
    public var daysSince1970: Int {
        // Counting from 1 March makes the leap day the last day of the counted year, so each
        // year's day number needs no leap adjustment; 400-year eras repeat exactly.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Midnight at the start of this day in `timeZone` (UTC unless given).
    public func startOfDay(in timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) -> Date {
        let utcMidnight = Date(timeIntervalSince1970: Double(daysSince1970) * 86_400)
        // Where the zone is on UTC at that instant, local midnight is UTC midnight; otherwise the
        // calendar handles offsets and days whose midnight a clock change skips.
        guard timeZone.secondsFromGMT(for: utcMidnight) != 0 else { return utcMidnight }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? utcMidnight
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSince1970: daysSince1970 + days.clamped(to: -4_000_000...4_000_000))
    }

    /// The date `months` months later (earlier when negative); a day past the end of the target
    /// month becomes its last day, so 31 January plus one month is 28 or 29 February.
    public func adding(months: Int) -> CalendarDate {
        let lowest = Self.years.lowerBound * 12
        let highest = Self.years.upperBound * 12 + 11
        let monthIndex = min(max(year * 12 + (month - 1) + months.clamped(to: -highest...highest), lowest), highest)
        let targetYear = monthIndex / 12
        let targetMonth = monthIndex % 12 + 1
        return CalendarDate(
            year: targetYear, month: targetMonth, day: min(day, Self.daysInMonth(targetMonth, year: targetYear)))!
    }

    /// The date `years` years later (earlier when negative); 29 February becomes 28 February in a
    /// year without one.
    public func adding(years: Int) -> CalendarDate {
        adding(months: years * 12)
    }

    /// The number of days from this date to `other`, negative when `other` is earlier.
    public func days(until other: CalendarDate) -> Int {
        other.daysSince1970 - daysSince1970
    }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))"
    }

    /// Orders dates by time.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes from a `YYYY-MM-DD` string, refusing dates that do not exist.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a real calendar date written YYYY-MM-DD")
        }
        self = date
    }

    /// Encodes as a `YYYY-MM-DD` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The inverse of ``daysSince1970``.
    private static func civil(fromDaysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Decimal digits only, no sign.
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `value` with leading zeros to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Int {
    /// The value limited to `range`, so that calendar arithmetic on huge offsets cannot overflow.
    fileprivate func clamped(to range: ClosedRange<Int>) -> Int {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
