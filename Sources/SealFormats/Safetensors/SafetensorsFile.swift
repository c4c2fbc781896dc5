import Foundation

/// One Hugging Face `.safetensors` file, memory-mapped and validated.
///
/// The header is parsed and every tensor's byte range checked when the file
/// is opened. F32, F16 and BF16 tensors can be loaded as fp32; tensors of
/// other dtypes are listed but fail with a clear error if loaded.
/// `__metadata__` string entries are kept in ``metadata`` and otherwise ignored.
public final class SafetensorsFile: TensorStore {
    /// The file this was opened from.
    public let url: URL
    /// All tensors, in order of their position in the file.
    public let tensors: [SafetensorsTensorInfo]
    /// The string entries of the header's `__metadata__` object.
    public let metadata: [String: String]
    /// Offset of the data section (8 + the header length).
    public let dataOffset: Int

    private let mapping: MappedFile
    private let indexByName: [String: Int]

    /// Opens, maps and validates the safetensors file at `url`.
    public init(contentsOf url: URL) throws(ModelFormatError) {
        let mapping = try MappedFile(path: url.path)
        let header = try SafetensorsHeaderParser.parse(mapping.bytes, file: url.path)
        self.url = url
        self.mapping = mapping
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        for (position, tensor) in header.tensors.enumerated() {
            index[tensor.name] = position
        }
        self.indexByName = index
    }

    /// The tensor called `name`, if the file has one.
    public func tensor(named name: String) -> SafetensorsTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The stored bytes of a tensor of this file; valid while this object lives.
    /// An info from another file yields an empty buffer.
    public func rawBytes(of info: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        guard owns(info) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[info.absoluteOffset..<(info.absoluteOffset + info.byteCount)])
    }

    /// Converts a tensor to fp32 into caller-provided memory (exactly
    /// `info.elementCount` floats are written, row-major).
    public func dequantize(
        _ info: SafetensorsTensorInfo, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelFormatError) {
        guard owns(info) else { throw ModelFormatError.missingTensor(info.name, in: url.path) }
        guard let type = info.dtype.ggmlType else {
            throw ModelFormatError(file: url.path, kind: .unsupportedDType(name: info.name, dtype: info.dtype.description))
        }
        guard let output = destination.baseAddress, destination.count >= info.elementCount else {
            if info.elementCount == 0 { return }
            throw ModelFormatError(
                file: url.path,
                kind: .bufferSizeMismatch(name: info.name, needed: info.elementCount, provided: destination.count))
        }
        do {
            try Dequantizer.dequantize(type, from: rawBytes(of: info), count: info.elementCount, into: output)
        } catch {
            throw ModelFormatError(file: url.path, kind: error.kind)
        }
    }

    private func owns(_ info: SafetensorsTensorInfo) -> Bool {
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
        guard info.dtype.ggmlType != nil else {
            throw ModelFormatError(file: url.path, kind: .unsupportedDType(name: name, dtype: info.dtype.description))
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
