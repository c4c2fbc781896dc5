import Logging
import Synchronization

/// What every connection needs from the server, bundled to pass around cheaply.
///
/// The configuration's limits and access policy are not here as values: they live in
/// ``limits`` and ``accessPolicy``, which a reload replaces, so a connection cannot read
/// a copy that has gone stale.
struct ServerCore: Sendable {
    let router: Router
    let logger: Logger
    let registry: ConnectionRegistry
    let metrics: HTTPMetrics
    let accessPolicy: SharedAccessPolicy
    let limits: SharedLimits
}

/// A setting in force, replaceable while serving (configuration reload).
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    var current: Value {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// The access policy in force.
typealias SharedAccessPolicy = Shared<AccessPolicy>
/// The limits in force.
typealias SharedLimits = Shared<HTTPServerLimits>

/// The server's own metrics, under `seal_http_*`.
struct HTTPMetrics: Sendable {
    let registry: MetricsRegistry
    let connections: Gauge
    let inFlight: Gauge
    let refusedConnections: Counter

    init(registry: MetricsRegistry) {
        self.registry = registry
        connections = registry.gauge("seal_http_connections", help: "Open API connections.")
        inFlight = registry.gauge("seal_http_requests_in_flight", help: "Requests being handled, streams included.")
        refusedConnections = registry.counter(
            "seal_http_connections_refused_total", help: "Connections refused because the connection limit was reached.")
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
