import Foundation
import MessageContracts

/// Dates in NPQ rules are Europe/London calendar dates: a window that closes on 30 September is open until midnight
/// in London, whatever the server's time zone.
public enum UKCalendar {
    public static let timeZone = TimeZone(identifier: "Europe/London")!

    /// The London calendar date at `instant`.
    public static func date(at instant: Date) -> CalendarDate {
        CalendarDate(instant, in: timeZone)
    }
}
