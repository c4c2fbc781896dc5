/// What a plugin does. Each kind has its own function table in the C ABI and its own
/// Swift wrapper (``TaskPlugin``, ``ContextExtensionPlugin``, ``ScalingStrategyPlugin``).
public enum PluginKind: String, Sendable, Codable, CaseIterable {
    /// Generates samples (prompt, answer, training label) and scores model outputs.
    case task
    /// Turns RoPE settings and a requested length into a position-encoding plan.
    case contextExtension = "context-extension"
    /// Maps each (layer, head, channel) of the attention output to a learned multiplier.
    case scalingStrategy = "scaling-strategy"
}

/// A loaded plugin as hosts show it: listed by `sealctl plugins`, returned by the HTTP API.
///
/// Plain data, copied out of the plugin's descriptor at load time.
public struct PluginInfo: Sendable, Hashable, Codable {
    /// Unique among the loaded plugins; what configuration and requests refer to.
    public var name: String
    /// The plugin's own version string.
    public var version: String
    public var kind: PluginKind
    /// The ABI version the plugin was built against, "major.minor".
    public var abiVersion: String
    /// The shared object it was loaded from.
    public var path: String
    public var description: String
    /// The parameters it accepts, in the plugin's order.
    public var parameters: [PluginParameter]

    public init(name: String, version: String, kind: PluginKind, abiVersion: String, path: String,
                description: String, parameters: [PluginParameter]) {
        self.name = name
        self.version = version
        self.kind = kind
        self.abiVersion = abiVersion
        self.path = path
        self.description = description
        self.parameters = parameters
    }
}

/// Why one file in a plugin directory was not loaded. The other files still load.
public struct PluginLoadError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What is wrong with it and, where possible, how to fix it.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// The outcome of scanning the plugin directories.
///
/// A scan never fails as a whole: a broken plugin is reported and skipped, so one bad
/// file in `/etc/seal/plugins.d` cannot keep the daemon from starting.
public struct PluginScanReport: Sendable, Hashable, Codable {
    /// Every plugin now registered, in directory order then file-name order.
    public var loaded: [PluginInfo]
    /// Files that were refused.
    public var errors: [PluginLoadError]
    /// Things worth a log line that are not errors: overrides, missing directories, skipped files.
    public var notes: [String]

    public init(loaded: [PluginInfo] = [], errors: [PluginLoadError] = [], notes: [String] = []) {
        self.loaded = loaded
        self.errors = errors
        self.notes = notes
    }
}
