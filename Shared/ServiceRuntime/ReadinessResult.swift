/// What one readiness check found: ready, or not ready with a short reason an operator can read.
public enum ReadinessResult: Sendable, Equatable {
    /// The dependency is usable.
    case ready
    /// The dependency is not usable; the reason (`"disconnected"`, `"topology not declared"`) is shown on
    /// `GET /health/ready`, so it must hold no secrets or personal data.
    case notReady(String)

    /// `"ok"` or the reason, as shown in the readiness JSON.
    public var summary: String {
        switch self {
        case .ready: "ok"
        case .notReady(let reason): reason
        }
    }
}
