/// Any JSON value, for free-form fields such as plugin parameters.
public enum JSONValue: Codable, Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes each value once: containers are recognised by shape before their
    /// elements are decoded, so no subtree is decoded and discarded (a `try?` around
    /// a nested decode makes the cost grow with the cube of the depth).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if (try? decoder.unkeyedContainer()) != nil { self = .array(try container.decode([JSONValue].self)) }
        else if (try? decoder.container(keyedBy: AnyCodingKey.self)) != nil {
            // Through the dictionary type, not the keyed container, so that the
            // decoder's key strategy leaves free-form keys as they were written.
            self = .object(try container.decode([String: JSONValue].self))
        }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var doubleValue: Double? { if case .number(let n) = self { n } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
}
