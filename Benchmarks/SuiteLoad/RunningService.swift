import ArgumentParser

/// A service process scripts/bench.sh started: its name, process id and health port (`/metrics`).
struct RunningService: Sendable {
    var name: String
    var pid: Int32
    var port: Int

    /// Parses `name=pid:port`.
    init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1)
        let numbers = parts.count == 2 ? parts[1].split(separator: ":") : []
        guard parts.count == 2, numbers.count == 2, let pid = Int32(numbers[0]), let port = Int(numbers[1]) else {
            throw ValidationError("--service \(text): expected name=pid:port")
        }
        name = String(parts[0])
        self.pid = pid
        self.port = port
    }
}
