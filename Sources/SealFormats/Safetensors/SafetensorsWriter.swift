import Foundation

/// Writes float32 tensors in the safetensors format: an 8-byte little-endian header length,
/// a JSON header (dtype, shape, byte offsets per tensor, optional string metadata), then
/// the raw little-endian data. Readable by ``SafetensorsFile`` and by the `safetensors`
/// Python package.
public struct SafetensorsWriter {
    private var tensors: [(name: String, shape: [Int], values: [Float])] = []
    private var metadata: [String: String] = [:]

    public init() {}

    /// Adds a tensor; `values.count` must equal the product of `shape`.
    public mutating func add(_ name: String, shape: [Int], values: [Float]) throws(ModelFormatError) {
        guard !name.isEmpty, name != "__metadata__", !tensors.contains(where: { $0.name == name }) else {
            throw ModelFormatError(file: "", kind: .duplicateTensor(name))
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw ModelFormatError(file: "", kind: .inconsistentTensorSize(name: name, expectedBytes: max(0, shape.reduce(1, *)) * 4,
                                                                            foundBytes: values.count * 4))
        }
        tensors.append((name, shape, values))
    }

    public mutating func setMetadata(_ key: String, _ value: String) { metadata[key] = value }

    /// The file's bytes.
    public func data() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            let size = tensor.values.count * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned.
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }
}
