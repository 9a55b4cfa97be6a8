import PropertyBased
import Testing

/// Checks a property on `count` inputs drawn from `generator`, case `k` with `seed.rng(forCase: k)`, and records an
/// issue for each of the first few failing cases with the seed, the case number, what was wrong and the input.
///
/// PropertyBased's `propertyCheck` is the same loop with a random seed per run; this one keeps CI's cases fixed (see
/// ``FuzzSeed``). When a case fails, `shrink` offers smaller inputs; the first that still fails replaces it, until none
/// does or the budget is spent, so the report shows a small input as PropertyBased's shrinking would.
///
/// - Returns: the run's tally, for checks on how the cases were spread.
@discardableResult
func fixedSeedPropertyCheck<Input>(
    _ seed: FuzzSeed,
    count: Int,
    input generator: Generator<Input, some Sequence>,
    describe: (Input) -> String,
    shrink: (Input) -> [Input] = { _ in [] },
    sourceLocation: SourceLocation = #_sourceLocation,
    check: (Input) -> FuzzVerdict
) -> FuzzSummary {
    let reportedFailures = 3
    var summary = FuzzSummary()
    for index in 0..<(count * FuzzSeed.scale) {
        var rng = seed.rng(forCase: index)
        let input = generator.run(using: &rng)
        let verdict = check(input)
        summary.cases += 1
        summary.outcomes[verdict.outcome, default: 0] += 1
        guard !verdict.violations.isEmpty else { continue }
        summary.failingCases += 1
        guard summary.failingCases <= reportedFailures else { continue }

        var smallest = (input: input, verdict: verdict)
        var budget = 2_000
        var shrunk = true
        while shrunk, budget > 0 {
            shrunk = false
            for candidate in shrink(smallest.input) {
                budget -= 1
                let candidateVerdict = check(candidate)
                if !candidateVerdict.violations.isEmpty {
                    smallest = (candidate, candidateVerdict)
                    shrunk = true
                    break
                }
                if budget == 0 { break }
            }
        }
        Issue.record(
            """
            \(seed), case \(index): \(smallest.verdict.violations.joined(separator: "; "))
            input: \(describe(smallest.input))
            """, sourceLocation: sourceLocation)
    }
    if summary.failingCases > reportedFailures {
        let tally = "\(summary.failingCases) of \(summary.cases) cases failed"
        Issue.record("\(seed): \(tally); the first \(reportedFailures) are shown", sourceLocation: sourceLocation)
    }
    return summary
}

/// Smaller versions of `bytes` for ``fixedSeedPropertyCheck(_:count:input:describe:shrink:sourceLocation:check:)``:
/// the bytes with one chunk removed, largest chunks first, so a failing body shrinks to the bytes that matter.
func byteShrinkCandidates(_ bytes: [UInt8]) -> [[UInt8]] {
    var candidates: [[UInt8]] = []
    var chunk = bytes.count / 2
    while chunk >= 1 {
        var start = 0
        while start < bytes.count {
            var candidate = bytes
            candidate.removeSubrange(start..<min(start + chunk, bytes.count))
            candidates.append(candidate)
            start += chunk
        }
        chunk /= 2
    }
    return candidates
}

/// `bytes` as Swift source that makes them, cut after `limit` bytes: a string literal (anything but printable ASCII
/// escaped) when they are UTF-8, otherwise an array of hex bytes; fuzz reports quote inputs this way so that a failing
/// one can be pasted into a regression test.
func bytesLiteral(_ bytes: [UInt8], limit: Int = 400) -> String {
    let shown = Array(bytes.prefix(limit))
    let more = bytes.count > limit ? " … (\(bytes.count) bytes in all)" : ""
    guard let text = String(validating: shown, as: UTF8.self) else {
        return "[" + shown.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]" + more
    }
    var literal = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": literal += "\\\""
        case "\\": literal += "\\\\"
        case " "..."~": literal.unicodeScalars.append(scalar)
        default: literal += "\\u{\(String(scalar.value, radix: 16))}"
        }
    }
    return "\"\(literal)\"" + more
}
