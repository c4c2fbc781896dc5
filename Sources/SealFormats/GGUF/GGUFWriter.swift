import Foundation

/// Builds a GGUF version 3 file in memory and writes it out.
///
/// Used by tests throughout the project to make small model files, and to
/// export models. Metadata keeps insertion order (setting a key again replaces
/// its value in place); tensors are laid out in insertion order, each aligned
/// to ``alignment``. Shapes are given row-major, outermost first, like
/// ``GGUFTensorInfo/shape``; the writer stores them in ggml's reversed order.
public struct GGUFWriter: Sendable {
    /// Alignment of the tensor data; written as `general.alignment` when not 32.
    public let alignment: Int
    private var entries: [(key: String, value: GGUFValue)] = []
    private var tensors: [PendingTensor] = []

    private struct PendingTensor: Sendable {
        var name: String
        var shape: [Int]
        var type: GGMLType
        var bytes: [UInt8]
    }

    static let source = "(GGUF writer)"

    /// - Parameter alignment: a power of two; GGUF's default is 32.
    public init(alignment: Int = 32) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "GGUF alignment must be a power of two")
        self.alignment = alignment
    }

    /// Sets metadata `key` to `value`, replacing an earlier value of the same key.
    ///
    /// Arrays must be homogeneous (GGUF stores one element type per array); this
    /// is checked when the file is serialized.
    public mutating func addMetadata(_ key: String, _ value: GGUFValue) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    /// Adds an fp32 tensor. `shape` is row-major, outermost first.
    public mutating func addTensor(_ name: String, shape: [Int], float32 values: [Float]) throws(ModelFormatError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            appendLittleEndian(value.bitPattern, to: &bytes)
        }
        try addTensor(name, shape: shape, type: .f32, rawBytes: bytes)
    }

    /// Adds a tensor stored as fp16; `values` are rounded to nearest fp16.
    public mutating func addTensor(_ name: String, shape: [Int], float16 values: [Float]) throws(ModelFormatError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for value in values {
            appendLittleEndian(floatToHalfBits(value), to: &bytes)
        }
        try addTensor(name, shape: shape, type: .f16, rawBytes: bytes)
    }

    /// Adds a tensor whose data is already encoded as `type` (e.g. Q4_K blocks).
    public mutating func addTensor(
        _ name: String, shape: [Int], type: GGMLType, rawBytes: [UInt8]
    ) throws(ModelFormatError) {
        let file = Self.source
        guard !tensors.contains(where: { $0.name == name }) else {
            throw ModelFormatError(file: file, kind: .duplicateTensor(name))
        }
        let needed = try GGUFTensorLayout(name: name, shape: shape, type: type).validatedByteCount()
        guard rawBytes.count == needed else {
            throw ModelFormatError(
                file: file, kind: .bufferSizeMismatch(name: name, needed: needed, provided: rawBytes.count))
        }
        tensors.append(PendingTensor(name: name, shape: shape, type: type, bytes: rawBytes))
    }

    /// The complete file contents.
    public func serialized() throws(ModelFormatError) -> [UInt8] {
        let layouts = tensors.map { GGUFTensorLayout(name: $0.name, shape: $0.shape, type: $0.type) }
        let (header, offsets) = try header(for: layouts)
        var out = header
        guard !tensors.isEmpty else { return out }
        let dataStart = out.count
        for (tensor, relative) in zip(tensors, offsets) {
            out.append(contentsOf: repeatElement(0, count: dataStart + relative - out.count))
            out.append(contentsOf: tensor.bytes)
        }
        return out
    }

    /// The header of a file with this writer's metadata and the tensors `layouts` (ignoring
    /// tensors added with data), padded to the alignment when there are tensors, and each
    /// tensor's offset from the start of the data that follows it.
    ///
    /// Lets a large file be streamed: write the header, then each tensor's bytes at its offset
    /// (zero padding between), without holding the tensors in memory.
    public func header(for layouts: [GGUFTensorLayout]) throws(ModelFormatError) -> (bytes: [UInt8], offsets: [Int]) {
        var metadata = entries
        metadata.removeAll { $0.key == "general.alignment" }
        if alignment != 32 {
            metadata.append(("general.alignment", .uint32(UInt32(alignment))))
        }

        var out: [UInt8] = Array("GGUF".utf8)
        appendLittleEndian(UInt32(3), to: &out)
        appendLittleEndian(UInt64(layouts.count), to: &out)
        appendLittleEndian(UInt64(metadata.count), to: &out)
        for entry in metadata {
            appendString(entry.key, to: &out)
            appendLittleEndian(entry.value.valueType.rawValue, to: &out)
            try appendValue(entry.value, key: entry.key, to: &out)
        }

        var offset = 0
        var offsets: [Int] = []
        for tensor in layouts {
            let byteCount = try tensor.validatedByteCount()
            offsets.append(offset)
            offset = Self.aligned(offset + byteCount, alignment)
            appendString(tensor.name, to: &out)
            appendLittleEndian(UInt32(tensor.shape.count), to: &out)
            for dimension in tensor.shape.reversed() {
                appendLittleEndian(UInt64(dimension), to: &out)
            }
            appendLittleEndian(tensor.type.rawValue, to: &out)
            appendLittleEndian(UInt64(offsets[offsets.count - 1]), to: &out)
        }
        if !layouts.isEmpty {
            out.append(contentsOf: repeatElement(0, count: Self.aligned(out.count, alignment) - out.count))
        }
        return (out, offsets)
    }

    /// Serializes and writes the file to `url`, replacing any existing file.
    public func write(to url: URL) throws(ModelFormatError) {
        let bytes = try serialized()
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw ModelFormatError(file: url.path, kind: .cannotWrite(reason: "\(error.localizedDescription)"))
        }
    }

    static func aligned(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    private func appendValue(_ value: GGUFValue, key: String, to out: inout [UInt8]) throws(ModelFormatError) {
        switch value {
        case .uint8(let v): out.append(v)
        case .int8(let v): out.append(UInt8(bitPattern: v))
        case .uint16(let v): appendLittleEndian(v, to: &out)
        case .int16(let v): appendLittleEndian(v, to: &out)
        case .uint32(let v): appendLittleEndian(v, to: &out)
        case .int32(let v): appendLittleEndian(v, to: &out)
        case .uint64(let v): appendLittleEndian(v, to: &out)
        case .int64(let v): appendLittleEndian(v, to: &out)
        case .float32(let v): appendLittleEndian(v.bitPattern, to: &out)
        case .float64(let v): appendLittleEndian(v.bitPattern, to: &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let v): appendString(v, to: &out)
        case .array(let elements):
            // An empty array has no element to take a type from; any type reads back as [].
            let elementType = elements.first?.valueType ?? .uint8
            guard elements.allSatisfy({ $0.valueType == elementType }) else {
                throw ModelFormatError.invalidMetadata(
                    key, "GGUF arrays must hold elements of a single type", in: Self.source)
            }
            appendLittleEndian(elementType.rawValue, to: &out)
            appendLittleEndian(UInt64(elements.count), to: &out)
            for element in elements {
                try appendValue(element, key: key, to: &out)
            }
        }
    }

    private func appendString(_ string: String, to out: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        appendLittleEndian(UInt64(utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }
}

/// Appends the little-endian bytes of `value`.
func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    var little = value.littleEndian
    withUnsafeBytes(of: &little) { out.append(contentsOf: $0) }
}

/// Rounds `value` to the nearest fp16 (ties to even), as its bit pattern.
func floatToHalfBits(_ value: Float) -> UInt16 {
    #if arch(x86_64) && os(macOS)
    // Float16 is unavailable on Intel Macs; round by hand.
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let magnitude = abs(value)
    if magnitude.isNaN { return sign | 0x7E00 }
    if magnitude >= 65520 { return sign | 0x7C00 }
    if magnitude < 0x1p-14 {
        return sign | UInt16((magnitude * 0x1p24).rounded(.toNearestOrEven))
    }
    let exponent = Int(magnitude.exponent)
    let scaled = (magnitude * Float(sign: .plus, exponent: 10 - exponent, significand: 1)).rounded(.toNearestOrEven)
    return sign | (UInt16((exponent + 15) << 10) + UInt16(scaled) - 0x400)
    #else
    Float16(value).bitPattern
    #endif
}

/// A tensor's name, shape (row-major, outermost first) and type, without its data.
public struct GGUFTensorLayout: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var type: GGMLType

    public init(name: String, shape: [Int], type: GGMLType) {
        self.name = name
        self.shape = shape
        self.type = type
    }

    /// The tensor's size in bytes, or the reason it cannot be stored.
    public func validatedByteCount() throws(ModelFormatError) -> Int {
        let file = GGUFWriter.source
        let dimensions = shape.reversed().map { UInt64(truncatingIfNeeded: $0) }
        guard shape.count <= GGUFHeaderParser.maximumDimensions, shape.allSatisfy({ $0 > 0 }) else {
            throw ModelFormatError(
                file: file,
                kind: .absurdDimensions(
                    name: name, dimensions: dimensions, reason: "dimensions must be positive and at most 4"))
        }
        let (_, count) = try GGUFHeaderParser.validate(dimensions: dimensions, name: name, file: file)
        guard (shape.last ?? 1) % type.blockElements == 0, let needed = type.byteCount(forElements: count) else {
            throw ModelFormatError(
                file: file,
                kind: .rowNotBlockAligned(
                    name: name, rowLength: shape.last ?? 1, typeName: type.name, blockElements: type.blockElements))
        }
        return needed
    }
}
