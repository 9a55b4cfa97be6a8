import CohortsDomain
import Foundation
import Logging
import MessageContracts
import SENCODomain
import SENCOService
import SQLKit
import ServiceRuntime
import Synchronization

// `make bench-senco`: the SENCO service's daily sweep over a database of many spells.
//
// Seeds N spells (default 100,000) with appointments spread over 2022–2026, a mix of school types, prior service,
// NASENCOs and accepted applications; evaluates each once (as recording them would); then runs the sweep for D days
// (default 60) from 2026-11-22 exactly as the service does — batches of 500 through the index on next_check_on, one
// transaction each, the outbox included — and reports the time per day swept.

struct Arguments {
    var spells = 100_000
    var days = 60
    var start = CalendarDate("2026-11-22")!
    var reference = "reference"
    var output: String?

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--spells": spells = Int(iterator.next() ?? "") ?? spells
            case "--days": days = Int(iterator.next() ?? "") ?? days
            case "--from": start = CalendarDate(iterator.next() ?? "") ?? start
            case "--reference": reference = iterator.next() ?? reference
            case "--output": output = iterator.next()
            default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
            }
        }
    }
}

/// SplitMix64: a small deterministic generator, so every run seeds the same spells.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

let arguments = Arguments()
var logger = Logger(label: "senco-sweep")
logger.logLevel = .warning
let directory = NSTemporaryDirectory() + "npq-senco-sweep-\(ProcessInfo.processInfo.processIdentifier)"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let store = try await SQLStore.open(.sqliteFile(path: "\(directory)/senco.sqlite"), logger: logger)
_ = try await store.migrate(MessageStore.migrations + SENCOStore.migrations)

let parameters = try RegulatoryParameterSet.parse(
    try Data(contentsOf: URL(fileURLWithPath: "\(arguments.reference)/senco/regulation.json")))
let calendar = try SENCOService.seedCalendar(directory: "\(arguments.reference)/cohorts")
let tracker = SENCOTracker(parameters: parameters)
let dayClock = Mutex<Date>(Date())
let runner = TaskRunner(
    store: store, clock: { dayClock.withLock { $0 } }, logger: logger, source: "urn:npq:bench:senco",
    appID: "senco-sweep", onCommit: {})
func setDay(_ day: CalendarDate) {
    dayClock.withLock { $0 = day.startOfDay(in: UKCalendar.timeZone).addingTimeInterval(6 * 3600) }
}

print("senco-sweep: \(arguments.spells) spells, \(arguments.days) days from \(arguments.start)")
try await store.transaction { database in
    for (cohort, window) in calendar.windows {
        try await SENCOStore.saveWindow(
            cohort: cohort, opens: window.opens, closes: window.closes, start: window.start, in: database)
    }
    for entry in calendar.schedules {
        try await SENCOStore.saveSchedule(
            cohort: entry.cohort, schedule: entry.schedule, start: entry.startDate, in: database)
    }
}

// Seed.
var generator = SeededGenerator(state: 2026)
let first = CalendarDate("2022-01-01")!
let span = first.days(until: arguments.start.adding(days: -1))
let seedStart = ContinuousClock.now
setDay(arguments.start.adding(days: -1))
var ids: [UUID] = []
ids.reserveCapacity(arguments.spells)
for batchStart in stride(from: 0, to: arguments.spells, by: 2_000) {
    let count = min(2_000, arguments.spells - batchStart)
    var rows: [SENCOStore.SpellRow] = []
    for index in batchStart..<(batchStart + count) {
        let appointed = first.adding(days: Int.random(in: 0...span, using: &generator))
        let roll = Int.random(in: 0..<100, using: &generator)
        let type: SchoolType = roll < 92 ? .mainstream : roll < 95 ? .maintainedNursery : .special
        var prior: [ServicePeriod] = []
        if Int.random(in: 0..<10, using: &generator) == 0 {
            let months = Int.random(in: 3...18, using: &generator)
            prior = [ServicePeriod(from: appointed.adding(months: -months - 12), to: appointed.adding(months: -12))]
        }
        var qualifications: [QualificationRecord] = []
        if Int.random(in: 0..<10, using: &generator) == 0 {
            qualifications = [
                QualificationRecord(
                    award: "nasenco", startedOn: CalendarDate("2023-09-01")!,
                    completedOn: Bool.random(using: &generator) ? CalendarDate("2025-07-15")! : nil)
            ]
        }
        let trn = String(format: "%07d", 1_000_000 + index)
        let person = SENCOPerson(name: "Bench Person \(index)", trn: trn, email: "senco\(index)@example.sch.uk")
        rows.append(
            SENCOStore.SpellRow(
                spellID: UUID(), schoolURN: String(100_000 + index % 20_000),
                personKey: SENCOStore.personKey(trn: trn, email: person.email), person: person, schoolType: type,
                appointedOn: appointed, datePrecision: .day, endedOn: nil, priorService: prior,
                qualifications: qualifications, status: .notEnrolled, evaluation: nil, lastRoutineOn: nil))
    }
    let batch = rows
    try await store.transaction { database in
        for row in batch {
            try await SENCOStore.insert(row, on: arguments.start, at: Date(), in: database)
        }
    }
    ids += rows.map(\.spellID)
}
let seeded = seconds(ContinuousClock.now - seedStart)

// Evaluate each once, as recording the appointment does.
let evaluateStart = ContinuousClock.now
for batchStart in stride(from: 0, to: ids.count, by: 500) {
    let batch = Array(ids[batchStart..<min(ids.count, batchStart + 500)])
    try await runner.run("initial evaluation") { context in
        try await tracker.reevaluateBatch(batch, on: arguments.start.adding(days: -1), cause: "bench", in: context)
    }
}
let evaluated = seconds(ContinuousClock.now - evaluateStart)
print(
    String(
        format: "seeded %d spells in %.1f s; first evaluation of all in %.1f s (%.0f spells/s)", ids.count, seeded,
        evaluated, Double(ids.count) / evaluated))

// The query plan of the sweep's selection.
let plan = try await store.read { database in
    let day = arguments.start.description
    return try await database.raw(
        SQLQueryString(
            "EXPLAIN QUERY PLAN SELECT spell_id FROM senco_spell WHERE next_check_on <= \(bind: day) ORDER BY next_check_on LIMIT 500"
        )
    ).all().map { try $0.decode(column: "detail", as: String.self) }
}
print("query plan: \(plan.joined(separator: "; "))")

// Sweep day by day.
var perDay: [(day: String, spells: Int, seconds: Double)] = []
for offset in 0..<arguments.days {
    let day = arguments.start.adding(days: offset)
    setDay(day)
    let started = ContinuousClock.now
    var spells = 0
    while true {
        let done = try await runner.run("senco-deadlines") { context in
            try await SENCOService.sweepBatch(tracker: tracker, limit: 500, in: context)
        }
        spells += done
        if done < 500 { break }
    }
    perDay.append((day.description, spells, seconds(ContinuousClock.now - started)))
}
let times = perDay.map(\.seconds)
let counts = perDay.map { Double($0.spells) }
let busiest = perDay.max { $0.seconds < $1.seconds }!
print(
    String(
        format:
            "sweep over %d days: spells per day mean %.0f, max %.0f; time per day mean %.3f s, p95 %.3f s, max %.3f s (%@: %d spells)",
        perDay.count, counts.reduce(0, +) / Double(counts.count), counts.max() ?? 0,
        times.reduce(0, +) / Double(times.count),
        percentile(times, 0.95), times.max() ?? 0, busiest.day, busiest.spells))
let outbox = try await store.read { database in
    try await database.raw("SELECT COUNT(*) AS n FROM npq_outbox").first()?.decode(column: "n", as: Int.self) ?? 0
}
print("messages written to the outbox (status changes and reminders): \(outbox)")

if let output = arguments.output {
    let report: [String: Any] = [
        "spells": ids.count, "days": perDay.count, "from": arguments.start.description,
        "seedSeconds": seeded, "firstEvaluationSeconds": evaluated,
        "sweepSecondsPerDay": [
            "mean": times.reduce(0, +) / Double(times.count), "p95": percentile(times, 0.95), "max": times.max() ?? 0,
        ],
        "spellsPerDay": ["mean": counts.reduce(0, +) / Double(counts.count), "max": counts.max() ?? 0],
        "queryPlan": plan, "outboxMessages": outbox,
        "machine": [
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "memoryGiB": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824,
        ],
    ]
    let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: output))
}
try await store.close()
