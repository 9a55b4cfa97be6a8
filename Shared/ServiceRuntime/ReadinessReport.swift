/// The outcome of every registered readiness check at one moment, as served on `GET /health/ready`.
public struct ReadinessReport: Sendable, Equatable {
    /// Each check's result by the name it was registered under.
    public var results: [String: ReadinessResult]

    /// Creates a report from results by check name.
    public init(results: [String: ReadinessResult]) {
        self.results = results
    }

    /// True when every check passed (and so when none is registered: nothing is waited for).
    public var isReady: Bool {
        results.values.allSatisfy { $0 == .ready }
    }

    /// The body of the readiness response:
    /// `{"status":"not_ready","checks":{"broker":"disconnected","database":"ok"}}`, keys sorted for stable output.
    public var json: String {
        var text = "{\"status\":\"" + (isReady ? "ready" : "not_ready") + "\",\"checks\":{"
        for (index, name) in results.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += Self.quoted(name) + ":" + Self.quoted(results[name]!.summary)
        }
        return text + "}}"
    }

    /// `text` as a JSON string literal.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
