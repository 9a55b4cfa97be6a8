/// How precisely a date is known: to the day, or only the month (taken as its 1st, the most conservative day).
public enum DatePrecision: String, Codable, Sendable, CaseIterable {
    case day
    case month
}
