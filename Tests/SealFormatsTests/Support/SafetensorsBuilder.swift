import Foundation

@testable import SealFormats

/// Builds safetensors bytes for tests: tensors are laid out in order and the
/// header can be replaced or corrupted afterwards.
struct SafetensorsBuilder {
    struct Tensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]
    }

    var tensors: [Tensor] = []
    var metadata: [String: String]? = ["format": "pt"]
    /// Extra spaces after the JSON, to make the data start at an odd offset.
    var headerPadding = 0

    mutating func add(_ name: String, shape: [Int], f32 values: [Float]) {
        tensors.append(Tensor(name: name, dtype: "F32", shape: shape, bytes: values.flatMap { $0.bitPattern.littleEndianBytes }))
    }

    mutating func add(_ name: String, shape: [Int], f16 values: [Float]) {
        tensors.append(
            Tensor(name: name, dtype: "F16", shape: shape, bytes: values.flatMap { Float16($0).bitPattern.littleEndianBytes }))
    }

    mutating func add(_ name: String, shape: [Int], bf16 values: [Float]) {
        let bytes = values.flatMap { UInt16($0.bitPattern >> 16).littleEndianBytes }
        tensors.append(Tensor(name: name, dtype: "BF16", shape: shape, bytes: bytes))
    }

    mutating func add(_ name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
        tensors.append(Tensor(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// The header object, with data offsets computed from the tensor order.
    func headerObject() -> [String: Any] {
        var object: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            object[tensor.name] = [
                "dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + tensor.bytes.count],
            ] as [String: Any]
            offset += tensor.bytes.count
        }
        if let metadata { object["__metadata__"] = metadata }
        return object
    }

    /// The file bytes, optionally with a different header object.
    func bytes(header: [String: Any]? = nil) throws -> [UInt8] {
        let json = try JSONSerialization.data(withJSONObject: header ?? headerObject(), options: [.sortedKeys])
        return Self.file(headerJSON: [UInt8](json) + [UInt8](repeating: 0x20, count: headerPadding),
                         data: tensors.flatMap(\.bytes))
    }

    static func file(headerJSON: [UInt8], data: [UInt8]) -> [UInt8] {
        UInt64(headerJSON.count).littleEndianBytes + headerJSON + data
    }
}
