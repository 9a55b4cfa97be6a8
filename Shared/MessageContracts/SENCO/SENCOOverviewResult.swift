import Foundation

/// The reply to ``SENCOOverview``.
public struct SENCOOverviewResult: MessageContract {
    /// The day of the latest evaluation of each spell.
    public var on: CalendarDate
    /// Spells per status, every status listed.
    public var counts: [String: Int]
    /// Earliest deadline first.
    public var atRisk: [SENCOSpellSummary]
    /// Earliest deadline first.
    public var inBreach: [SENCOSpellSummary]

    public init(on: CalendarDate, counts: [String: Int], atRisk: [SENCOSpellSummary], inBreach: [SENCOSpellSummary]) {
        self.on = on
        self.counts = counts
        self.atRisk = atRisk
        self.inBreach = inBreach
    }

    public static let name = "senco.overview.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "SENCO spells per status, and the spells at risk or in breach, earliest deadline first."

    public static var schema: JSONSchema {
        .object(
            [
                "on": JSONSchema.date.described("Today."),
                "counts": .object(
                    Dictionary(
                        uniqueKeysWithValues: SENCOStatus.allCases.map { ($0.rawValue, JSONSchema.integer(minimum: 0)) }
                    ),
                    required: SENCOStatus.allCases.map(\.rawValue)
                ).described("Spells per status."),
                "atRisk": .array(of: SENCOSpellSummary.schema, maxItems: 1_000).described("Spells at risk."),
                "inBreach": .array(of: SENCOSpellSummary.schema, maxItems: 1_000).described("Spells in breach."),
            ], required: ["on", "counts", "atRisk", "inBreach"], additionalProperties: true)
    }

    public static var example: SENCOOverviewResult {
        var counts = Dictionary(uniqueKeysWithValues: SENCOStatus.allCases.map { ($0.rawValue, 0) })
        counts[SENCOStatus.notEnrolled.rawValue] = 41
        counts[SENCOStatus.enrolled.rawValue] = 120
        counts[SENCOStatus.atRisk.rawValue] = 1
        return SENCOOverviewResult(
            on: CalendarDate("2026-11-22")!, counts: counts,
            atRisk: [
                SENCOSpellSummary(
                    spellID: UUID(uuidString: "8d3c1f4e-2b7a-4e51-9c0d-6a1f2e3b4c5d")!, schoolURN: "100000",
                    status: .atRisk, deadline: CalendarDate("2027-09-01")!, recommendedCohort: nil)
            ], inBreach: [])
    }
}
