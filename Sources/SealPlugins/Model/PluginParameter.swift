/// The type of a plugin parameter, as declared in the plugin's schema.
public enum PluginParameterType: String, Sendable, Codable, CaseIterable {
    case int
    case float
    case string
    case bool
}

/// A parameter value given to a plugin (from seald.yaml, an HTTP request or code).
///
/// Encodes as a plain JSON scalar (`4`, `4.5`, `"head"`, `true`) so API bodies stay
/// readable; literals make call sites short: `["factor": 4.0]`.
public enum PluginParameterValue: Sendable, Hashable {
    case int(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)

    /// The name of this value's type, for error messages.
    public var typeName: String {
        switch self {
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .bool: "bool"
        }
    }

    /// The value as a number, when it is one (used for range checks).
    var numericValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): value
        case .string, .bool: nil
        }
    }
}

extension PluginParameterValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .int(let value): "\(value)"
        case .float(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .bool(let value): "\(value)"
        }
    }
}

extension PluginParameterValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: JSON `true` must not become 1; Int before Double keeps `4` an int.
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .float(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a plugin parameter must be a number, a string or a boolean")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

extension PluginParameterValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// One entry of a plugin's parameter schema: what a caller may set, and within which bounds.
///
/// The schema comes from the plugin itself (its C descriptor), so hosts can list, document
/// and validate parameters without knowing the plugin.
public struct PluginParameter: Sendable, Hashable, Codable {
    public var name: String
    public var type: PluginParameterType
    /// The value used when the caller does not set the parameter.
    public var defaultValue: PluginParameterValue
    /// Inclusive lower bound (int and float parameters only).
    public var minimum: Double?
    /// Inclusive upper bound (int and float parameters only).
    public var maximum: Double?
    public var description: String
    /// ABI 1.1: the only values a string parameter takes (nil = any string).
    public var allowedValues: [String]?
    /// ABI 1.1: the minimum itself is refused (`value > minimum`).
    public var exclusiveMinimum: Bool
    /// ABI 1.1: the maximum itself is refused (`value < maximum`).
    public var exclusiveMaximum: Bool

    public init(name: String, type: PluginParameterType, defaultValue: PluginParameterValue,
                minimum: Double? = nil, maximum: Double? = nil, description: String,
                allowedValues: [String]? = nil, exclusiveMinimum: Bool = false, exclusiveMaximum: Bool = false) {
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

    /// Whether a finite number satisfies the bounds, exclusive ones included.
    func admits(_ number: Double) -> Bool {
        guard number.isFinite else { return false }
        if let minimum, exclusiveMinimum ? number <= minimum : number < minimum { return false }
        if let maximum, exclusiveMaximum ? number >= maximum : number > maximum { return false }
        return true
    }

    /// The bounds in words, e.g. "> 0", "1...9", "at least 2".
    var boundsText: String {
        let low = minimum.map { (exclusiveMinimum ? "> " : ">= ") + PluginError.format($0) }
        let high = maximum.map { (exclusiveMaximum ? "< " : "<= ") + PluginError.format($0) }
        return [low, high].compactMap { $0 }.joined(separator: " and ")
    }

    enum CodingKeys: String, CodingKey {
        case name, type
        case defaultValue = "default"
        case minimum, maximum, description
        case allowedValues = "allowed_values"
        case exclusiveMinimum = "exclusive_minimum"
        case exclusiveMaximum = "exclusive_maximum"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(defaultValue, forKey: .defaultValue)
        try container.encodeIfPresent(minimum, forKey: .minimum)
        try container.encodeIfPresent(maximum, forKey: .maximum)
        try container.encode(description, forKey: .description)
        try container.encodeIfPresent(allowedValues, forKey: .allowedValues)
        if exclusiveMinimum { try container.encode(true, forKey: .exclusiveMinimum) }
        if exclusiveMaximum { try container.encode(true, forKey: .exclusiveMaximum) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(PluginParameterType.self, forKey: .type)
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum)
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum)
        description = try container.decode(String.self, forKey: .description)
        allowedValues = try container.decodeIfPresent([String].self, forKey: .allowedValues)
        exclusiveMinimum = try container.decodeIfPresent(Bool.self, forKey: .exclusiveMinimum) ?? false
        exclusiveMaximum = try container.decodeIfPresent(Bool.self, forKey: .exclusiveMaximum) ?? false
        // JSON writes the float 0.0 as `0`; the declared type says what it was.
        let decoded = try container.decode(PluginParameterValue.self, forKey: .defaultValue)
        if type == .float, case .int(let integer) = decoded {
            defaultValue = .float(Double(integer))
        } else {
            defaultValue = decoded
        }
    }
}
