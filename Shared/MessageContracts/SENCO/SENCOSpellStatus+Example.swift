import Foundation

extension SENCOSpellStatus {
    static var example: SENCOSpellStatus {
        SENCOSpellStatus(
            spellID: UUID(uuidString: "8d3c1f4e-2b7a-4e51-9c0d-6a1f2e3b4c5d")!, schoolURN: "100000",
            person: SENCOPerson(name: "Alex Morgan", trn: "1234567", email: "alex.morgan@example.sch.uk"),
            appointedOn: CalendarDate("2025-09-01")!, datePrecision: .day, endedOn: nil, inScope: true,
            status: .notEnrolled, deadline: CalendarDate("2028-09-01")!, alternativeDeadline: nil,
            nasencoDeadline: nil, expectedOutcome: nil, recommendedCohort: "2026b", lastSafeCohort: "2025a",
            flags: [.priorSpellAmbiguity],
            reason:
                "Not yet on the NPQ for SENCOs: register for cohort 2026b (registration closes 2026-10-09) to have the outcome by 2028-09-01.",
            history: [
                SENCOStatusChange(
                    from: nil, to: .notEnrolled, on: CalendarDate("2025-09-15")!, reason: "Appointment recorded.",
                    cause: "npq.senco.appointment.record.v1")
            ])
    }
}
