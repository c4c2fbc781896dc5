/// A declared plugin parameter.
public struct PluginParameterInfo: Codable, Sendable, Equatable {
    public var name: String
    /// int, float, string or bool.
    public var type: String
    public var defaultValue: JSONValue?
    public var minimum: Double?
    public var maximum: Double?
    public var description: String
    /// The only values a string parameter takes (ABI 1.1); absent = any string.
    public var allowedValues: [String]?
    /// True when the minimum itself is refused (ABI 1.1).
    public var exclusiveMinimum: Bool?
    /// True when the maximum itself is refused (ABI 1.1).
    public var exclusiveMaximum: Bool?

    public init(name: String, type: String, defaultValue: JSONValue?, minimum: Double?, maximum: Double?, description: String,
                allowedValues: [String]? = nil, exclusiveMinimum: Bool? = nil, exclusiveMaximum: Bool? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.description = description
        self.allowedValues = allowedValues
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
    }
}

/// A loaded plugin: `GET /api/plugins`.
public struct PluginInfoBody: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    /// task, context-extension or scaling-strategy.
    public var kind: String
    public var abiVersion: String
    public var path: String
    public var description: String
    public var parameters: [PluginParameterInfo]

    public init(name: String, version: String, kind: String, abiVersion: String, path: String, description: String,
                parameters: [PluginParameterInfo]) {
        self.name = name
        self.version = version
        self.kind = kind
        self.abiVersion = abiVersion
        self.path = path
        self.description = description
        self.parameters = parameters
    }
}

/// The result of a plugin scan: `POST /api/plugins/reload`, also `GET /api/plugins`.
public struct PluginListResponse: Codable, Sendable, Equatable {
    public struct LoadError: Codable, Sendable, Equatable {
        public var path: String
        public var message: String
        public init(path: String, message: String) { self.path = path; self.message = message }
    }
    public var plugins: [PluginInfoBody]
    public var errors: [LoadError]
    /// After a configuration reload: the changed keys that only a restart applies
    /// (their running values were kept). Absent for a plugin rescan alone.
    public var restartRequired: [String]?
    public init(plugins: [PluginInfoBody], errors: [LoadError], restartRequired: [String]? = nil) {
        self.plugins = plugins
        self.errors = errors
        self.restartRequired = restartRequired
    }
}
