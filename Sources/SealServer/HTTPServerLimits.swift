/// What the server tolerates from its clients. Unlike the listener, these can
/// change while the server runs (``HTTPServer/updateLimits(_:)``, for a
/// configuration reload): each value is read when it is next needed.
public struct HTTPServerLimits: Sendable, Equatable {
    /// Larger request bodies get 413. Default 1 MiB.
    public var maxRequestBodyBytes: Int
    /// Limit of one request from its head to its last byte of response, streams
    /// included; the handler is cancelled then, and the client gets 503 if nothing
    /// was sent yet (or a truncated stream). `nil`: no limit. Default 600 s.
    public var requestTimeout: Duration?
    /// A connection that sends nothing for this long between requests is closed,
    /// so forgotten keep-alive clients do not pile up. `nil`: never. Default 300 s.
    /// Applies to connections accepted after a change.
    public var idleTimeout: Duration?
    /// Time a client has to send a complete request head, counted from the
    /// connection's start or from the first byte of a later request on it. A client
    /// that dribbles its head would otherwise hold a connection forever: it gets
    /// 408 and is closed. `nil`: no limit. Default 30 s.
    public var headTimeout: Duration?
    /// Time a client has to send a request's body after its head; then 408 and
    /// close. `nil`: no limit. Default 60 s.
    public var bodyTimeout: Duration?
    /// Open connections at most. The next one is answered 503 and closed at once,
    /// so that a flood of connections cannot exhaust the process's file
    /// descriptors and starve everyone else. `nil`: no cap. Default 512.
    public var maxConnections: Int?

    public init(
        maxRequestBodyBytes: Int = 1 << 20,
        requestTimeout: Duration? = .seconds(600),
        idleTimeout: Duration? = .seconds(300),
        headTimeout: Duration? = .seconds(30),
        bodyTimeout: Duration? = .seconds(60),
        maxConnections: Int? = 512
    ) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }
}

extension Duration {
    /// Whole nanoseconds, saturating, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (scaled, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return components.seconds < 0 ? .min : .max }
        let (total, carry) = scaled.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        return carry ? .max : total
    }

    /// "30 s", "0.25 s": for messages.
    var secondsText: String {
        components.attoseconds == 0
            ? "\(components.seconds) s"
            : "\(Double(components.seconds) + Double(components.attoseconds) / 1e18) s"
    }
}
