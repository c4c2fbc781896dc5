import Foundation

/// A GGUF model file (llama.cpp's format), memory-mapped and validated.
///
/// Opening a file reads and checks the whole header — metadata, tensor
/// directory, every tensor's position and size — so a corrupt or truncated
/// file fails here with a message that names the problem, and nothing later
/// can read outside the mapping. Tensor data is not touched until asked for.
/// Versions 2 and 3 are supported, little-endian only.
public final class GGUFFile: TensorStore {
    /// The file this was opened from.
    public let url: URL
    /// The GGUF format version (2 or 3).
    public let version: Int
    /// All metadata, by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// All tensors in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, 32 when absent).
    public let alignment: Int
    /// Offset of the tensor-data section from the start of the file.
    public let dataOffset: Int

    private let mapping: MappedFile
    private let indexByName: [String: Int]

    /// Opens, maps and validates the GGUF file at `url`.
    public init(contentsOf url: URL) throws(ModelFormatError) {
        let path = url.path
        let mapping = try MappedFile(path: path)
        let header = try GGUFHeaderParser.parse(mapping.bytes, file: path)
        self.url = url
        self.mapping = mapping
        self.version = header.version
        self.metadata = header.metadata
        self.metadataKeys = header.metadataKeys
        self.tensors = header.tensors
        self.alignment = header.alignment
        self.dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        index.reserveCapacity(header.tensors.count)
        for (position, tensor) in header.tensors.enumerated() {
            index[tensor.name] = position
        }
        self.indexByName = index
    }

    /// The size of the file in bytes.
    public var fileSize: Int { mapping.count }

    /// The tensor called `name`, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The stored (possibly quantized) bytes of a tensor of this file.
    ///
    /// The buffer points into the mapping and is valid only while this
    /// `GGUFFile` is alive; keep the file referenced for as long as you use it.
    /// `info` must come from this file (its bounds were validated against it);
    /// an info from another file yields an empty buffer.
    public func rawBytes(of info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        guard owns(info) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[info.absoluteOffset..<(info.absoluteOffset + info.byteCount)])
    }

    /// Dequantizes a tensor into caller-provided memory, e.g. a preallocated arena.
    ///
    /// Exactly `info.elementCount` floats are written, in row-major order
    /// (ggml's `ne0` varies fastest, which is the last axis of ``GGUFTensorInfo/shape``).
    /// Large tensors are converted on several threads.
    public func dequantize(
        _ info: GGUFTensorInfo, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelFormatError) {
        guard owns(info) else { throw ModelFormatError.missingTensor(info.name, in: url.path) }
        guard info.type.isDequantizable else {
            throw ModelFormatError(file: url.path, kind: .unsupportedTensorType(name: info.name, typeName: info.type.name))
        }
        guard let output = destination.baseAddress, destination.count >= info.elementCount else {
            throw ModelFormatError(
                file: url.path,
                kind: .bufferSizeMismatch(
                    name: info.name, needed: info.elementCount, provided: destination.count))
        }
        do {
            try Dequantizer.dequantize(info.type, from: rawBytes(of: info), count: info.elementCount, into: output)
        } catch {
            // Validation at open time makes this unreachable; keep the file name if it happens.
            throw ModelFormatError(file: url.path, kind: error.kind)
        }
    }

    private func owns(_ info: GGUFTensorInfo) -> Bool {
        guard let position = indexByName[info.name] else { return false }
        return tensors[position] == info
    }

    // MARK: TensorStore

    public var sourceDescription: String { url.path }

    public var tensorNames: [String] { tensors.map(\.name) }

    public func shape(of name: String) -> [Int]? {
        tensor(named: name)?.shape
    }

    public func loadFloat32(
        _ name: String, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelFormatError) {
        guard let info = tensor(named: name) else { throw ModelFormatError.missingTensor(name, in: url.path) }
        try dequantize(info, into: destination)
    }

    public func loadFloat32(_ name: String) throws(ModelFormatError) -> [Float] {
        guard let info = tensor(named: name) else { throw ModelFormatError.missingTensor(name, in: url.path) }
        guard info.type.isDequantizable else {
            throw ModelFormatError(file: url.path, kind: .unsupportedTensorType(name: name, typeName: info.type.name))
        }
        var failure: ModelFormatError?
        let values = [Float](unsafeUninitializedCapacity: info.elementCount) { buffer, initialized in
            do throws(ModelFormatError) {
                try dequantize(info, into: buffer)
                initialized = info.elementCount
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return values
    }
}
