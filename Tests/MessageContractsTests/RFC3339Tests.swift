import Foundation
import MessageContracts
import Testing

/// RFC 3339 timestamps, as written in headers and payloads.
@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(
        "Valid timestamps parse to the right instant",
        arguments: [
            ("2024-09-01T09:30:00Z", 1_725_183_000.0),
            ("2024-09-01T09:30:00.250Z", 1_725_183_000.25),
            ("2024-09-01T10:30:00+01:00", 1_725_183_000.0),
            ("2024-09-01T04:00:00-05:30", 1_725_183_000.0),
            ("2024-09-01t09:30:00z", 1_725_183_000.0),
            ("1969-12-31T23:59:59Z", -1.0),
            ("2024-09-01T09:30:00.123456789Z", 1_725_183_000.123456789),
        ])
    func parsesValidTimestamps(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(
        "Malformed timestamps are refused",
        arguments: [
            "2024-09-01", "2024-09-01T09:30:00", "2024-09-01 09:30:00Z", "2024-09-01T24:00:00Z", "2024-09-01T09:60:00Z",
            "2024-09-01T09:30:60Z", "2024-02-30T09:30:00Z", "2024-09-01T09:30:00.Z", "2024-09-01T09:30:00+0100",
            "2024-09-01T09:30:00+01", "2024-09-01T09:30Z", "2024-09-01T09:30:00ZZ", "2024-09-01T09:30:00 Z",
        ])
    func refusesMalformedTimestamps(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("Formatting writes UTC with milliseconds and round-trips")
    func formatsUTCWithMilliseconds() throws {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_725_183_000.25)) == "2024-09-01T09:30:00.250Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_709_164_800.9996)) == "2024-02-29T00:00:01.000Z")
        let date = RFC3339.roundedToMilliseconds(Date())
        #expect(RFC3339.parse(RFC3339.format(date)) == date)
    }
}
