/// One metadata value of a GGUF file, in the file's own type.
///
/// GGUF stores numbers with explicit widths; callers usually only care about
/// "an integer" or "a string", so the accessors below convert leniently and
/// return `nil` when the value has another kind.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    /// Any integer kind, if it fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// Any numeric kind as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: intValue.map(Double.init)
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [GGUFValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// An array whose every element is a string.
    public var stringArray: [String]? {
        guard let array = arrayValue else { return nil }
        var out: [String] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let s = element.stringValue else { return nil }
            out.append(s)
        }
        return out
    }

    /// An array whose every element is numeric, as `Float`.
    public var floatArray: [Float]? {
        guard let array = arrayValue else { return nil }
        var out: [Float] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let d = element.doubleValue else { return nil }
            out.append(Float(d))
        }
        return out
    }

    /// An array whose every element is an integer.
    public var intArray: [Int]? {
        guard let array = arrayValue else { return nil }
        var out: [Int] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let i = element.intValue else { return nil }
            out.append(i)
        }
        return out
    }
}
