/// What one fuzz case showed: which way the code under test went (accepted the input, or refused it for some reason),
/// and every way that broke the property, in words.
///
/// The outcome is counted across a run (``FuzzSummary``) so a test can also check that its generator reached both
/// sides, since a generator whose every input is refused at the first byte would prove little.
struct FuzzVerdict: Sendable {
    /// A short label such as `accepted` or `invalid_fields/required`.
    var outcome: String
    /// Each way the property failed; empty when it held.
    var violations: [String] = []

    /// A verdict with no violations yet.
    init(_ outcome: String, violations: [String] = []) {
        self.outcome = outcome
        self.violations = violations
    }

    /// Records a violation unless `condition` holds.
    mutating func require(_ condition: Bool, _ violation: @autoclosure () -> String) {
        if !condition { violations.append(violation()) }
    }
}

/// The tally of a fuzz run: how many cases ran, how many broke the property, and how often each outcome came up.
struct FuzzSummary: Sendable {
    var cases = 0
    var failingCases = 0
    var outcomes: [String: Int] = [:]

    /// How many cases had an outcome starting with `prefix`.
    func count(_ prefix: String) -> Int {
        outcomes.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
    }
}
