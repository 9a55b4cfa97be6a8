import MessageContracts

/// Renders rows as left-aligned columns separated by two spaces.
func textTable(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

extension CohortListing {
    /// The headline (which cohort is open, or which opens next) and one row per cohort.
    static func table(_ result: CohortListResult) -> String {
        let open = result.cohorts.filter { $0.registrationStatus == .open }
        let headline: String
        if !open.isEmpty {
            headline =
                "Open for registration on \(result.on): "
                + open.map {
                    "\($0.cohort.name) (closes \($0.cohort.registrationCloses), starts \($0.cohort.startDate))"
                }
                .joined(separator: ", ")
        } else if let next = result.cohorts.filter({ $0.registrationStatus == .upcoming })
            .min(by: { $0.cohort.registrationOpens < $1.cohort.registrationOpens })
        {
            headline =
                "No cohort is open for registration on \(result.on). Next to open: \(next.cohort.name) on \(next.cohort.registrationOpens)."
        } else {
            headline = "No cohort is open for registration on \(result.on), and none is due to open."
        }
        guard !result.cohorts.isEmpty else { return headline + "\n(no cohorts match)" }
        let rows = result.cohorts.map { listing -> [String] in
            let cohort = listing.cohort
            let offered = listing.offerings.filter(\.offered)
            return [
                cohort.cohort, cohort.name, cohort.fundingMode.rawValue,
                "\(cohort.registrationOpens) to \(cohort.registrationCloses)", listing.registrationStatus.rawValue,
                cohort.startDate.description,
                "\(Set(offered.map(\.course)).count) courses, \(Set(offered.map(\.leadProvider)).count) providers",
                cohort.description ?? "",
            ]
        }
        return headline + "\n\n"
            + textTable(["COHORT", "NAME", "FUNDING", "REGISTRATION", "STATUS", "STARTS", "OFFERINGS", "NOTE"], rows)
    }
}

extension CohortCalendarEntry {
    static func table(_ result: CohortCalendarResult) -> String {
        let rows = result.entries.map { entry in
            [
                entry.cohort, entry.schedule, entry.startDate.description,
                entry.expectedOutcomeDate?.description ?? "no outcome", entry.registrationStatus.rawValue,
            ]
        }
        return textTable(["COHORT", "SCHEDULE", "STARTS", "OUTCOME EXPECTED", "REGISTRATION"], rows)
    }
}

extension SENCOSpellStatus {
    /// Each spell as a short block: who, status and why, the dates that matter, flags and history.
    static func text(_ result: SENCOStatusResult) -> String {
        guard !result.spells.isEmpty else { return "No SENCO appointment is recorded for school \(result.schoolURN)." }
        return result.spells.map { spell in
            var lines = [
                "\(spell.person.name) — SENCO at \(spell.schoolURN) since \(spell.appointedOn)"
                    + (spell.datePrecision == .month ? " (month only)" : "")
                    + (spell.endedOn.map { " until \($0)" } ?? ""),
                "  status              \(spell.status.rawValue): \(spell.reason)",
            ]
            func line(_ label: String, _ value: (any CustomStringConvertible)?) {
                if let value {
                    lines.append("  " + label.padding(toLength: 20, withPad: " ", startingAt: 0) + "\(value)")
                }
            }
            line("deadline", spell.deadline)
            line("alternative reading", spell.alternativeDeadline)
            line("NASENCO by", spell.nasencoDeadline)
            line("expected outcome", spell.expectedOutcome)
            line("recommended cohort", spell.recommendedCohort)
            line("last safe cohort", spell.lastSafeCohort)
            if !spell.flags.isEmpty { line("flags", spell.flags.map(\.rawValue).joined(separator: ", ")) }
            for change in spell.history {
                line(
                    "history", "\(change.on) \(change.from?.rawValue ?? "—") → \(change.to.rawValue) (\(change.cause))")
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

extension SENCOOverviewResult {
    static func text(_ result: SENCOOverviewResult) -> String {
        let counts = result.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { [$0.key, String($0.value)] }
        var text = "SENCO spells on \(result.on)\n\n" + textTable(["STATUS", "SPELLS"], counts)
        for (title, list) in [("At risk", result.atRisk), ("In breach", result.inBreach)] where !list.isEmpty {
            text +=
                "\n\n\(title):\n"
                + textTable(
                    ["SCHOOL", "DEADLINE", "RECOMMENDED", "SPELL"],
                    list.map {
                        [
                            $0.schoolURN, $0.deadline?.description ?? "", $0.recommendedCohort ?? "",
                            $0.spellID.uuidString.lowercased(),
                        ]
                    })
        }
        return text
    }
}
