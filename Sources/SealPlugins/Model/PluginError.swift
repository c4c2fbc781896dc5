/// Everything that can go wrong when using a loaded plugin, with the plugin and
/// parameter named so a user knows what to change.
///
/// Loading problems are not thrown: they are collected per file in a ``PluginScanReport``.
public enum PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No plugin of that name is loaded.
    case notFound(name: String, available: [String])
    /// The plugin exists but is of another kind than the caller needs.
    case wrongKind(plugin: String, expected: PluginKind, actual: PluginKind)
    /// A parameter the plugin's schema does not declare.
    case unknownParameter(plugin: String, parameter: String, known: [String])
    /// A value of the wrong type for a declared parameter.
    case wrongParameterType(plugin: String, parameter: String, expected: PluginParameterType,
                            given: PluginParameterValue)
    /// A value outside the schema's bounds (or a non-finite number).
    case parameterOutOfRange(plugin: String, parameter: String, given: PluginParameterValue,
                             minimum: Double?, maximum: Double?)
    /// A value the schema's 1.1 rules refuse (not an allowed string, on an exclusive bound);
    /// `rule` says what is allowed, e.g. "must be one of: words, numbers".
    case parameterRefused(plugin: String, parameter: String, given: PluginParameterValue, rule: String)
    /// A request the host refuses before calling the plugin (negative index, mismatched shapes, ...).
    case invalidRequest(plugin: String, reason: String)
    /// The plugin returned an error status.
    case pluginFailed(plugin: String, operation: String, status: Int32, message: String)
    /// The plugin returned success with output the host cannot use.
    case invalidOutput(plugin: String, operation: String, reason: String)

    /// The plugin concerned (the requested name for ``notFound(name:available:)``).
    public var plugin: String {
        switch self {
        case .notFound(let name, _): name
        case .wrongKind(let plugin, _, _), .unknownParameter(let plugin, _, _),
             .wrongParameterType(let plugin, _, _, _), .parameterOutOfRange(let plugin, _, _, _, _),
             .parameterRefused(let plugin, _, _, _), .invalidRequest(let plugin, _), .pluginFailed(let plugin, _, _, _),
             .invalidOutput(let plugin, _, _):
            plugin
        }
    }

    /// The parameter concerned, for the parameter errors.
    public var parameter: String? {
        switch self {
        case .unknownParameter(_, let parameter, _), .wrongParameterType(_, let parameter, _, _),
             .parameterOutOfRange(_, let parameter, _, _, _), .parameterRefused(_, let parameter, _, _):
            parameter
        default:
            nil
        }
    }

    public var description: String {
        switch self {
        case .notFound(let name, let available):
            let list = available.isEmpty ? "none are loaded" : "loaded: \(available.joined(separator: ", "))"
            return "no plugin named '\(name)' (\(list)); check the plugin directories and run `sealctl plugins reload`"
        case .wrongKind(let plugin, let expected, let actual):
            return "plugin '\(plugin)' is a \(actual.rawValue) plugin, but a \(expected.rawValue) plugin is needed here"
        case .unknownParameter(let plugin, let parameter, let known):
            let list = known.isEmpty ? "it takes no parameters" : "it takes: \(known.joined(separator: ", "))"
            return "plugin '\(plugin)' has no parameter '\(parameter)' (\(list))"
        case .wrongParameterType(let plugin, let parameter, let expected, let given):
            return "plugin '\(plugin)': parameter '\(parameter)' must be \(Self.article(expected)) \(expected.rawValue), got \(given.typeName) \(given)"
        case .parameterOutOfRange(let plugin, let parameter, let given, let minimum, let maximum):
            return "plugin '\(plugin)': parameter '\(parameter)' = \(given) is out of range (\(Self.range(minimum, maximum)))"
        case .parameterRefused(let plugin, let parameter, let given, let rule):
            return "plugin '\(plugin)': parameter '\(parameter)' = \(given) is refused (\(rule))"
        case .invalidRequest(let plugin, let reason):
            return "plugin '\(plugin)': \(reason)"
        case .pluginFailed(let plugin, let operation, let status, let message):
            let detail = message.isEmpty ? "no message" : message
            return "plugin '\(plugin)' failed in \(operation) (status \(status)): \(detail)"
        case .invalidOutput(let plugin, let operation, let reason):
            return "plugin '\(plugin)' returned unusable output from \(operation): \(reason); this is a bug in the plugin"
        }
    }

    private static func article(_ type: PluginParameterType) -> String {
        type == .int ? "an" : "a"
    }

    private static func range(_ minimum: Double?, _ maximum: Double?) -> String {
        switch (minimum, maximum) {
        case let (low?, high?): "allowed: \(format(low))...\(format(high))"
        case let (low?, nil): "allowed: at least \(format(low))"
        case let (nil, high?): "allowed: at most \(format(high))"
        case (nil, nil): "must be a finite number"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
