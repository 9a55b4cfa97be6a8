import Foundation
import MessageContracts
import Testing

/// Calendar dates: real days only, written YYYY-MM-DD.
@Suite("Calendar dates")
struct CalendarDateTests {
    @Test(
        "Real dates parse, including 29 February in leap years",
        arguments: ["2024-02-29", "2000-02-29", "2023-12-31", "0001-01-01", "9999-12-31", "2024-04-30"])
    func parsesRealDates(text: String) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.description == text)
    }

    @Test(
        "Dates that do not exist or are not YYYY-MM-DD are refused",
        arguments: [
            "2023-02-29", "2024-02-30", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
            "0000-01-01", "2024-1-01", "24-01-01", "2024/01/01", "2024-01-01T00:00:00Z", " 2024-01-01", "2024-01-0a",
            "", "+024-01-01",
        ])
    func refusesImpossibleDates(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test("Days since 1970 round-trip across eras and leap days")
    func daysSince1970RoundTrip() {
        #expect(CalendarDate("1970-01-01")!.daysSince1970 == 0)
        #expect(CalendarDate("1969-12-31")!.daysSince1970 == -1)
        #expect(CalendarDate("2000-03-01")!.daysSince1970 == 11_017)
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(CalendarDate(daysSince1970: days).daysSince1970 == days)
        }
    }

    @Test("Adding months clamps to the end of the month: 29 February plus a year is 28 February")
    func addingClampsToMonthEnd() {
        #expect(CalendarDate("2024-02-29")!.adding(years: 1) == CalendarDate("2025-02-28"))
        #expect(CalendarDate("2024-02-29")!.adding(years: 4) == CalendarDate("2028-02-29"))
        #expect(CalendarDate("2024-01-31")!.adding(months: 1) == CalendarDate("2024-02-29"))
        #expect(CalendarDate("2024-03-31")!.adding(months: -1) == CalendarDate("2024-02-29"))
        #expect(CalendarDate("2024-12-15")!.adding(months: 1) == CalendarDate("2025-01-15"))
        #expect(CalendarDate("2024-02-28")!.adding(days: 2) == CalendarDate("2024-03-01"))
        #expect(CalendarDate("2024-01-01")!.days(until: CalendarDate("2025-01-01")!) == 366)
    }

    @Test("Dates order by time")
    func ordersByTime() {
        #expect(CalendarDate("2024-02-29")! < CalendarDate("2024-03-01")!)
        #expect(CalendarDate("2023-12-31")! < CalendarDate("2024-01-01")!)
        #expect(!(CalendarDate("2024-01-01")! < CalendarDate("2024-01-01")!))
    }

    @Test("The day of an instant depends on the time zone")
    func dayOfInstantInTimeZone() throws {
        let instant = try #require(RFC3339.parse("2024-03-30T23:30:00Z"))
        #expect(CalendarDate(instant) == CalendarDate("2024-03-30"))
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let summer = try #require(RFC3339.parse("2024-06-30T23:30:00Z"))
        #expect(CalendarDate(summer, in: london) == CalendarDate("2024-07-01"))
        #expect(CalendarDate("2024-07-01")!.startOfDay(in: london) == RFC3339.parse("2024-06-30T23:00:00Z"))
        #expect(CalendarDate("2024-07-01")!.startOfDay() == RFC3339.parse("2024-07-01T00:00:00Z"))
    }

    @Test("Codable uses the YYYY-MM-DD string and refuses impossible dates")
    func codable() throws {
        let data = try JSONEncoder().encode([CalendarDate("2024-02-29")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-02-29"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [CalendarDate("2024-02-29")!])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2023-02-29"]"#.utf8))
        }
    }
}
