import MessageContracts

/// When reminders fall due, relative to the deadline, registration windows and outcomes.
public struct ReminderSchedule: Codable, Sendable, Equatable {
    /// Days before a target cohort's registration closes: 42, 14, 3.
    public var registrationClosingDays: [Int]
    /// Months before the deadline: 12, 6, 3, 1.
    public var deadlineCountdownMonths: [Int]
    /// Days before the deadline: 7.
    public var deadlineCountdownDays: [Int]
    /// Governors are told of countdown reminders from this many months before the deadline: 6.
    public var governorsFromMonths: Int
    /// For a spell relying on a NASENCO in progress: 1 Mar, 1 Jun, 1 Aug 2027.
    public var nasencoReminderDates: [CalendarDate]
    /// Days after the expected outcome with no outcome recorded: 14.
    public var outcomeOverdueDays: Int
    /// At most one routine reminder per person in this many days: 7.
    public var routineGapDays: Int
}
