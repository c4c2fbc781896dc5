import Yams

/// The daemon's default context extension (`model.context_extension` in seald.yaml):
///
/// ```yaml
/// model:
///   context_extension:
///     plugin: self-extend
///     parameters: {group: 4, window: 1024}
/// ```
///
/// Only the shape is checked here; the plugin and its parameters are checked against the
/// loaded plugins when the daemon starts and on every reload.
public struct ContextExtensionDefault: Sendable, Equatable, Codable {
    /// A parameter value as written: a number, a string or a boolean.
    public enum Value: Sendable, Equatable, Codable {
        case number(Double)
        case string(String)
        case bool(Bool)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else { self = .string(try container.decode(String.self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            }
        }
    }

    public var plugin: String
    public var parameters: [String: Value]

    public init(plugin: String, parameters: [String: Value] = [:]) {
        self.plugin = plugin
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case plugin, parameters
    }

    init(section: YAMLSection) throws(ConfigurationError) {
        guard let plugin = try section.string("plugin", expected: "a context-extension plugin name") else {
            throw section.invalid("plugin", section.node("plugin") ?? Node(""), expected: "a context-extension plugin name")
        }
        self.plugin = plugin
        parameters = [:]
        guard let node = section.node("parameters"), !node.isNullScalar else { return }
        guard case .mapping(let mapping) = node else {
            throw section.invalid("parameters", node, expected: "a mapping of parameter names to values")
        }
        for (key, value) in mapping {
            guard case .scalar(let name) = key, case .scalar(let scalar) = value, !value.isNullScalar else {
                throw section.invalid("parameters", value, expected: "name: number, string or boolean")
            }
            if let bool = Bool.construct(from: scalar) { parameters[name.string] = .bool(bool) }
            else if let number = Double(scalar.string), number.isFinite { parameters[name.string] = .number(number) }
            else { parameters[name.string] = .string(scalar.string) }
        }
    }
}
