import Logging
import Synchronization

/// What every connection needs from the server, bundled to pass around cheaply.
struct ServerCore: Sendable {
    let router: Router
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let registry: ConnectionRegistry
    let metrics: HTTPMetrics
    let accessPolicy: SharedAccessPolicy
}

/// The access policy in force, replaceable while serving (configuration reload).
final class SharedAccessPolicy: Sendable {
    private let policy: Mutex<AccessPolicy>

    init(_ policy: AccessPolicy) {
        self.policy = Mutex(policy)
    }

    var current: AccessPolicy {
        get { policy.withLock { $0 } }
        set { policy.withLock { $0 = newValue } }
    }
}

/// The server's own metrics, under `seal_http_*`.
struct HTTPMetrics: Sendable {
    let registry: MetricsRegistry
    let connections: Gauge
    let inFlight: Gauge

    init(registry: MetricsRegistry) {
        self.registry = registry
        connections = registry.gauge("seal_http_connections", help: "Open API connections.")
        inFlight = registry.gauge("seal_http_requests_in_flight", help: "Requests being handled, streams included.")
    }

    /// Counts a finished request. `route` is the pattern (not the raw path) so
    /// that the number of series stays bounded whatever clients send.
    func record(method: String, route: String, status: UInt, duration: Duration) {
        registry.counter(
            "seal_http_requests_total", help: "Requests answered, by route pattern and status.",
            labels: ["method": method, "route": route, "status": "\(status)"]
        ).increment()
        registry.histogram(
            "seal_http_request_duration_seconds", help: "Time from request head to the end of the response.",
            labels: ["method": method, "route": route]
        ).observe(duration)
    }
}
