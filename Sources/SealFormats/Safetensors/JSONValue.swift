/// A decoded JSON value, for the free-form parts of Hugging Face files
/// (`rope_scaling`, safetensors `__metadata__`) whose keys vary by model.
public enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The deepest nesting of arrays and objects accepted. Real headers and
    /// configs nest three or four levels; a deeper file is refused as corrupt.
    public static let maximumDepth = 64

    /// Decodes each value once: containers are recognised by shape before their
    /// elements are decoded, so no subtree is decoded and discarded (a `try?` around
    /// a nested decode makes the cost grow with the cube of the depth).
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a value nested deeper than ``maximumDepth``.
    public init(from decoder: any Decoder) throws {
        let isArray = (try? decoder.unkeyedContainer()) != nil
        let isObject = !isArray && (try? decoder.container(keyedBy: JSONValueKey.self)) != nil
        if isArray || isObject {
            // The coding path holds one entry per enclosing container.
            guard decoder.codingPath.count < Self.maximumDepth else {
                // No coding path: its keys come from the file and may be huge.
                throw DecodingError.dataCorrupted(.init(
                    codingPath: [],
                    debugDescription: "arrays and objects nested deeper than the limit of \(Self.maximumDepth) levels"))
            }
        }
        let container = try decoder.singleValueContainer()
        if isArray {
            self = .array(try container.decode([JSONValue].self))
        } else if isObject {
            self = .object(try container.decode([String: JSONValue].self))
        } else if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Either numeric kind as `Double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    /// An integer, or a double with no fractional part (JSON writers differ on `8` vs `8.0`).
    public var intValue: Int? {
        switch self {
        case .int(let v): v
        case .double(let v): v.rounded() == v ? Int(exactly: v) : nil
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let v): String(v)
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): "\"\(v)\""
        case .array(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .object(let v):
            "{" + v.keys.sorted().map { "\"\($0)\": \(v[$0]?.description ?? "null")" }.joined(separator: ", ") + "}"
        }
    }
}

/// Any key, to recognise a JSON object without decoding it.
private struct JSONValueKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
