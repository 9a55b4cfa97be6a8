import CoreMetrics
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics, served as text on `GET /metrics`.
///
/// swift-metrics allows one `MetricsSystem.bootstrap` per process and traps on a second, so the registry is created
/// and installed once, lazily, and every caller (each service's `main`, each test) gets the same one.
public struct MetricsBootstrap: Sendable {
    /// The registry every swift-metrics `Counter`, `Gauge`, `Timer` and `Recorder` of this process lands in.
    public let registry: PrometheusCollectorRegistry

    /// The one instance; its initialiser bootstraps swift-metrics, and Swift runs it exactly once.
    private static let processWide: MetricsBootstrap = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return MetricsBootstrap(registry: registry)
    }()

    /// Wraps a registry; private so that nobody ends up with a registry that swift-metrics does not feed.
    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Bootstraps swift-metrics with Prometheus on first use and returns the process-wide registry holder.
    ///
    /// Nothing else in the process may call `MetricsSystem.bootstrap`; swift-metrics would trap.
    public static func bootstrap() -> MetricsBootstrap {
        processWide
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        registry.emitToString()
    }
}
