/// The element type of a safetensors tensor, as spelled in the header.
///
/// Every dtype the format defines is recognised so that its byte size can be
/// validated; only F32, F16 and BF16 (what language-model weights use) can be
/// converted to fp32. A tensor of another dtype may sit in a checkpoint
/// unused; it only fails if it is loaded.
public enum SafetensorsDType: Sendable, Hashable, CustomStringConvertible {
    case f64, f32, f16, bf16
    case i64, i32, i16, i8, u64, u32, u16, u8, bool
    case f8E4M3, f8E5M2
    /// A dtype this library does not know; its size cannot be checked.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "F64": self = .f64
        case "F32": self = .f32
        case "F16": self = .f16
        case "BF16": self = .bf16
        case "I64": self = .i64
        case "I32": self = .i32
        case "I16": self = .i16
        case "I8": self = .i8
        case "U64": self = .u64
        case "U32": self = .u32
        case "U16": self = .u16
        case "U8": self = .u8
        case "BOOL": self = .bool
        case "F8_E4M3": self = .f8E4M3
        case "F8_E5M2": self = .f8E5M2
        default: self = .other(text)
        }
    }

    /// The dtype as written in the header.
    public var description: String {
        switch self {
        case .f64: "F64"
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .i64: "I64"
        case .i32: "I32"
        case .i16: "I16"
        case .i8: "I8"
        case .u64: "U64"
        case .u32: "U32"
        case .u16: "U16"
        case .u8: "U8"
        case .bool: "BOOL"
        case .f8E4M3: "F8_E4M3"
        case .f8E5M2: "F8_E5M2"
        case .other(let text): text
        }
    }

    /// Bytes per element, or `nil` for an unknown dtype.
    public var elementSize: Int? {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool, .f8E4M3, .f8E5M2: 1
        case .other: nil
        }
    }

    /// The equivalent ggml type for conversion, when this dtype can become fp32.
    var ggmlType: GGMLType? {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        default: nil
        }
    }
}
