import Foundation

/// Where one tensor of a safetensors file lives and how it is stored.
///
/// Validated when the file was opened: the byte range lies inside the file
/// and, for known dtypes, matches the shape exactly.
public struct SafetensorsTensorInfo: Sendable, Hashable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major shape, outermost first.
    public let shape: [Int]
    /// Product of the shape (1 for a scalar).
    public let elementCount: Int
    /// Offset of the data from the start of the file.
    public let absoluteOffset: Int
    /// Size of the data in bytes.
    public let byteCount: Int
}

/// Parsing and validating a safetensors header: an 8-byte little-endian
/// length, then that many bytes of JSON mapping names to dtype, shape and
/// `data_offsets` relative to the end of the header.
enum SafetensorsHeaderParser {
    /// Larger headers than this are refused as corrupt (real ones are at most a few MB).
    static let maximumHeaderSize = 100 << 20
    /// Same sanity bound on elements as for GGUF.
    static let maximumElements = 1 << 40

    struct Header {
        var tensors: [SafetensorsTensorInfo]
        var metadata: [String: String]
        var dataOffset: Int
    }

    private struct Entry {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(ModelFormatError) -> Header {
        guard bytes.count > 0 else { throw ModelFormatError(file: file, kind: .emptyFile) }
        var reader = ByteReader(bytes: bytes, file: file)
        reader.activity = "reading the safetensors header length"
        let rawLength = try reader.readUInt64()
        reader.activity = "reading the safetensors JSON header"
        guard rawLength <= UInt64(reader.remaining) else {
            let needed = rawLength > UInt64(Int.max) ? Int.max : Int(rawLength)
            throw ModelFormatError(
                file: file, kind: .truncated(needed: needed, at: 8, fileSize: bytes.count, while: reader.activity))
        }
        let length = Int(rawLength)
        guard length <= maximumHeaderSize else {
            throw ModelFormatError(
                file: file,
                kind: .invalidJSON(reason: "the safetensors header claims \(length) bytes, far more than any real header"))
        }
        let json = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + length)]))
        let dataOffset = 8 + length
        let dataSize = bytes.count - dataOffset

        let object: [String: JSONValue]
        do {
            object = try JSONDecoder().decode([String: JSONValue].self, from: json)
        } catch {
            throw ModelFormatError(
                file: file,
                kind: .invalidJSON(
                    reason: "the safetensors header is not a JSON object (\(describe(error))); "
                        + "the file is corrupt or not a safetensors file"))
        }

        var tensors: [SafetensorsTensorInfo] = []
        var metadata: [String: String] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                if case .object(let entries) = value {
                    for (key, entry) in entries { if let text = entry.stringValue { metadata[key] = text } }
                }
                continue
            }
            let entry = try decodeEntry(name: name, value: value, file: file)
            tensors.append(try validate(entry, name: name, dataOffset: dataOffset, dataSize: dataSize, file: file))
        }
        tensors.sort { ($0.absoluteOffset, $0.name) < ($1.absoluteOffset, $1.name) }
        return Header(tensors: tensors, metadata: metadata, dataOffset: dataOffset)
    }

    private static func decodeEntry(name: String, value: JSONValue, file: String) throws(ModelFormatError) -> Entry {
        func fail(_ reason: String) -> ModelFormatError {
            ModelFormatError(file: file, kind: .invalidJSON(reason: "tensor '\(name)' in the header \(reason)"))
        }
        guard case .object(let fields) = value else { throw fail("is not an object") }
        guard let dtype = fields["dtype"]?.stringValue else { throw fail("has no string 'dtype'") }
        guard case .array(let rawShape)? = fields["shape"] else { throw fail("has no array 'shape'") }
        guard case .array(let rawOffsets)? = fields["data_offsets"], rawOffsets.count == 2 else {
            throw fail("has no two-element 'data_offsets'")
        }
        var shape: [Int] = []
        for dimension in rawShape {
            guard let value = dimension.intValue, value >= 0 else {
                throw fail("has a shape entry \(dimension) that is not a non-negative integer")
            }
            shape.append(value)
        }
        var offsets: [Int] = []
        for offset in rawOffsets {
            guard let value = offset.intValue, value >= 0 else {
                throw fail("has a data offset \(offset) that is not a non-negative integer")
            }
            offsets.append(value)
        }
        return Entry(dtype: dtype, shape: shape, dataOffsets: offsets)
    }

    private static func validate(
        _ entry: Entry, name: String, dataOffset: Int, dataSize: Int, file: String
    ) throws(ModelFormatError) -> SafetensorsTensorInfo {
        let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
        guard begin <= end, end <= dataSize else {
            throw ModelFormatError(
                file: file,
                kind: .tensorOutOfBounds(
                    name: name, start: dataOffset &+ begin, end: dataOffset &+ end, fileSize: dataOffset + dataSize))
        }
        var elementCount = 1
        for dimension in entry.shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumElements else {
                throw ModelFormatError(
                    file: file,
                    kind: .absurdDimensions(
                        name: name, dimensions: entry.shape.map { UInt64($0) }, reason: "the element count exceeds 2^40"))
            }
            elementCount = product
        }
        let dtype = SafetensorsDType(entry.dtype)
        if let size = dtype.elementSize, elementCount * size != end - begin {
            throw ModelFormatError(
                file: file,
                kind: .inconsistentTensorSize(name: name, expectedBytes: elementCount * size, foundBytes: end - begin))
        }
        return SafetensorsTensorInfo(
            name: name, dtype: dtype, shape: entry.shape, elementCount: elementCount,
            absoluteOffset: dataOffset + begin, byteCount: end - begin)
    }

    /// A short, user-readable account of a decoding error.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at '\(keys.joined(separator: "."))'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "expected \(type)\(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "missing \(type)\(path(context))"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "malformed JSON\(path(context)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
