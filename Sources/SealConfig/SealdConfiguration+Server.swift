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
        if let value = try section.integer("head_timeout_seconds", expected: "a number of seconds") {
            headTimeoutSeconds = value
        }
        if let value = try section.integer("body_timeout_seconds", expected: "a number of seconds") {
            bodyTimeoutSeconds = value
        }
        if let value = try section.integer("idle_timeout_seconds", expected: "a number of seconds") {
            idleTimeoutSeconds = value
        }
        if let value = try section.integer("max_connections", expected: "a number of connections") {
            maxConnections = value
        }
    }
}
