/// Percentiles of a set of latencies in milliseconds (nearest rank: the smallest value at least that share of the
/// set is at or below).
struct LatencySummary: Encodable, Sendable {
    var count: Int
    var p50: Double
    var p90: Double
    var p95: Double
    var p99: Double
    var max: Double
    var mean: Double

    init?(milliseconds values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ share: Double) -> Double {
            let index = Int((share * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(Swift.max(index, 0), sorted.count - 1)].rounded(places: 1)
        }
        count = sorted.count
        p50 = rank(0.50)
        p90 = rank(0.90)
        p95 = rank(0.95)
        p99 = rank(0.99)
        max = sorted[sorted.count - 1].rounded(places: 1)
        mean = (sorted.reduce(0, +) / Double(sorted.count)).rounded(places: 1)
    }
}

extension Double {
    /// Rounded to `places` decimal places, for a report a person reads.
    func rounded(places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var milliseconds: Double { seconds * 1000 }
}
