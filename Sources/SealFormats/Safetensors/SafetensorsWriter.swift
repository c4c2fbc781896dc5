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
        let header = try SafetensorsHeader(entries: tensors.map { .init(name: $0.name, dtype: .f32, shape: $0.shape) }, metadata: metadata)
        var out = Data(header.serialized())
        for tensor in tensors {
            tensor.values.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }
}
