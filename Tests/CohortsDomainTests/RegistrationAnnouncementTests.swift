import CohortsDomain
import MessageContracts
import Testing

@Suite("Registration window announcements")
struct RegistrationAnnouncementTests {
    static let cohort = Cohort(
        identifier: "2026b", fundingMode: .capped, registrationOpens: date("2026-06-23"),
        registrationCloses: date("2026-10-09"), startDate: date("2026-11-16"))

    func due(_ recorded: Set<RegistrationAnnouncement>, on day: String) -> [RegistrationAnnouncement] {
        RegistrationAnnouncement.due(for: Self.cohort, recorded: recorded, on: date(day))
    }

    @Test("Opens on the opening day, once")
    func opensOnce() {
        #expect(due([], on: "2026-06-22") == [])
        #expect(due([], on: "2026-06-23") == [.opened])
        #expect(due([.opened], on: "2026-06-24") == [])
        #expect(due([.opened], on: "2026-10-09") == [])
    }

    @Test("Closes the day after the closing day, once, and only after it was announced open")
    func closesOnce() {
        #expect(due([.opened], on: "2026-10-10") == [.closed])
        #expect(due([.opened, .closed], on: "2026-10-11") == [])
    }

    @Test("A window that passed unwatched is recorded as missed, and nothing is announced")
    func missed() {
        #expect(due([], on: "2026-11-22") == [.missed])
        #expect(due([.missed], on: "2026-11-23") == [])
    }

    @Test("Dates are London dates: 23:30 UTC on 22 June is already 23 June in summer time")
    func londonDates() {
        let instant = date("2026-06-22").startOfDay().addingTimeInterval(23.5 * 3600)
        #expect(UKCalendar.date(at: instant) == date("2026-06-23"))
    }
}
