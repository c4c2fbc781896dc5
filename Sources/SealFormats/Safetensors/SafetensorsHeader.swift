import Foundation

/// The header of a safetensors file whose tensors are written separately, in order, right
/// after it (so a large checkpoint can be streamed tensor by tensor).
///
/// Layout: 8-byte little-endian header length, the JSON header padded with spaces to a
/// multiple of 8, then the tensors back to back in the order given.
public struct SafetensorsHeader: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var dtype: SafetensorsDType
        public var shape: [Int]
        public init(name: String, dtype: SafetensorsDType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
        /// Bytes of the tensor's data.
        public var byteCount: Int { shape.reduce(1, *) * (dtype.elementSize ?? 0) }
    }

    public let entries: [Entry]
    /// `__metadata__`: string to string, as the format requires.
    public let metadata: [String: String]

    public init(entries: [Entry], metadata: [String: String] = [:]) throws(ModelFormatError) {
        var seen = Set<String>()
        for entry in entries {
            guard seen.insert(entry.name).inserted else {
                throw ModelFormatError(file: "(safetensors writer)", kind: .duplicateTensor(entry.name))
            }
            guard entry.dtype.elementSize != nil else {
                throw ModelFormatError(file: "(safetensors writer)", kind: .unsupportedTensorType(name: entry.name, typeName: entry.dtype.description))
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw ModelFormatError(file: "(safetensors writer)",
                                       kind: .absurdDimensions(name: entry.name, dimensions: entry.shape.map { UInt64(truncatingIfNeeded: $0) },
                                                               reason: "dimensions must not be negative"))
            }
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The length prefix and the padded JSON header.
    public func serialized() -> [UInt8] {
        var json = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(Self.quoted($0)):\(Self.quoted(metadata[$0] ?? ""))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for entry in entries {
            let end = offset + entry.byteCount
            parts.append("\(Self.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.description)\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count)
        appendLittleEndian(UInt64(header.count), to: &out)
        return out + header
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
