import Yams

extension SealdConfiguration {
    /// How the API server treats its connections: deadlines for slow clients and a
    /// cap on open connections, so that a few misbehaving peers cannot starve the
    /// others. Applied to the running server on reload.
    public struct Server: Sendable, Equatable, Codable {
        /// Seconds a client has to send a complete request head, from connecting
        /// (or from the first byte of a later request); then 408 and close. Default 30.
        public var headTimeoutSeconds: Int
        /// Seconds a client has to send a request body after its head; then 408 and close. Default 60.
        public var bodyTimeoutSeconds: Int
        /// Seconds a kept-alive connection may stay silent between requests. Default 300.
        public var idleTimeoutSeconds: Int
        /// Connections open at once; beyond it, new ones get 503 and are closed. Default 512.
        public var maxConnections: Int

        /// The accepted range of each key (documented in etc/seald.yaml).
        public static let headTimeoutRange = 1...3600
        public static let bodyTimeoutRange = 1...3600
        public static let idleTimeoutRange = 1...86400
        /// At most 65,536: each connection holds a file descriptor (see `LimitNOFILE=` in the unit).
        public static let maxConnectionsRange = 1...65536

        public init(headTimeoutSeconds: Int = 30, bodyTimeoutSeconds: Int = 60, idleTimeoutSeconds: Int = 300,
                    maxConnections: Int = 512) {
            self.headTimeoutSeconds = headTimeoutSeconds
            self.bodyTimeoutSeconds = bodyTimeoutSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.maxConnections = maxConnections
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case headTimeoutSeconds = "head_timeout_seconds"
            case bodyTimeoutSeconds = "body_timeout_seconds"
            case idleTimeoutSeconds = "idle_timeout_seconds"
            case maxConnections = "max_connections"
        }
    }
}

extension SealdConfiguration.Server {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        if let value = try section.integer(in: Self.headTimeoutRange, "head_timeout_seconds", unit: "seconds") {
            headTimeoutSeconds = value
        }
        if let value = try section.integer(in: Self.bodyTimeoutRange, "body_timeout_seconds", unit: "seconds") {
            bodyTimeoutSeconds = value
        }
        if let value = try section.integer(in: Self.idleTimeoutRange, "idle_timeout_seconds", unit: "seconds") {
            idleTimeoutSeconds = value
        }
        if let value = try section.integer(in: Self.maxConnectionsRange, "max_connections", unit: "connections") {
            maxConnections = value
        }
    }
}

extension YAMLSection {
    /// An integer within `range`; `nil` when absent.
    func integer(in range: ClosedRange<Int>, _ key: String, unit: String) throws(ConfigurationError) -> Int? {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound) (\(unit))"
        guard let value = try integer(key, minimum: range.lowerBound, expected: expected) else { return nil }
        guard range.contains(value) else { throw invalid(key, node(key) ?? Node("\(value)"), expected: expected) }
        return value
    }
}
