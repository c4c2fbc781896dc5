/// The parsed and validated header of a GGUF file: metadata and the tensor directory.
///
/// Parsing does all validation up front so that later accessors cannot fail
/// on a corrupt file: once a header exists, every tensor it lists is known to
/// lie inside the file with a known type and sane dimensions.
struct GGUFHeader: Sendable {
    var version: Int
    var metadata: [String: GGUFValue]
    var metadataKeys: [String]
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    var dataOffset: Int
}

enum GGUFHeaderParser {
    /// The magic bytes every GGUF file starts with.
    static let magic: [UInt8] = Array("GGUF".utf8)
    /// ggml's `GGML_MAX_DIMS`.
    static let maximumDimensions = 4
    /// More elements than any real tensor has (a 1-trillion-parameter model's
    /// largest matrix is far smaller); larger counts mean a corrupt header.
    static let maximumElements = 1 << 40
    /// The alignment used when `general.alignment` is absent.
    static let defaultAlignment = 32
    /// Fewest bytes a metadata entry can occupy: key length, type tag, a 1-byte value.
    static let minimumMetadataEntrySize = 8 + 4 + 1
    /// Fewest bytes a tensor entry can occupy: name length, n_dims, type, offset.
    static let minimumTensorEntrySize = 8 + 4 + 4 + 8

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(ModelFormatError) -> GGUFHeader {
        guard bytes.count > 0 else { throw ModelFormatError(file: file, kind: .emptyFile) }
        var reader = ByteReader(bytes: bytes, file: file)

        reader.activity = "reading the magic number"
        try reader.require(4)
        let found = Array(bytes[0..<4])
        guard found == magic else {
            throw ModelFormatError(file: file, kind: .wrongMagic(found: describeMagic(found)))
        }
        try reader.skip(4)

        reader.activity = "reading the format version"
        let rawVersion = try reader.readUInt32()
        if rawVersion != 0, rawVersion & 0xFFFF == 0 {
            throw ModelFormatError(file: file, kind: .bigEndian)
        }
        guard rawVersion == 2 || rawVersion == 3 else {
            throw ModelFormatError(file: file, kind: .unsupportedVersion(Int(rawVersion)))
        }

        reader.activity = "reading the tensor count"
        let tensorCount = try reader.readCount(elementSize: minimumTensorEntrySize, what: "the tensor count")
        reader.activity = "reading the metadata count"
        let metadataCount = try reader.readCount(
            elementSize: minimumMetadataEntrySize, what: "the metadata entry count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        metadata.reserveCapacity(metadataCount)
        keys.reserveCapacity(metadataCount)
        for index in 0..<metadataCount {
            reader.activity = "reading the key of metadata entry #\(index)"
            let key = try reader.readString()
            guard metadata[key] == nil else { throw ModelFormatError(file: file, kind: .duplicateKey(key)) }
            reader.activity = "reading the value of metadata '\(key.boundedForMessage())'"
            let type = try reader.readValueType(key: key)
            metadata[key] = try reader.readValue(of: type, key: key)
            keys.append(key)
        }

        let alignment = try alignment(in: metadata, file: file)
        let entries = try readTensorEntries(count: tensorCount, reader: &reader)

        let (padded, overflow) = reader.offset.addingReportingOverflow(alignment - 1)
        let dataOffset = overflow ? Int.max : padded / alignment * alignment
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            tensors.append(try locate(entry, dataOffset: dataOffset, alignment: alignment, file: file,
                                      fileSize: bytes.count))
        }
        return GGUFHeader(
            version: Int(rawVersion), metadata: metadata, metadataKeys: keys,
            tensors: tensors, alignment: alignment, dataOffset: dataOffset)
    }

    private static func describeMagic(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        let text = printable ? "\"\(String(decoding: bytes, as: UTF8.self))\" (bytes \(hex))" : "bytes \(hex)"
        // Pre-GGUF llama.cpp files wrote a little-endian u32 such as 'ggjt'.
        let legacy: Set<String> = ["lmgg", "fmgg", "tjgg", "algg"]
        if printable, legacy.contains(String(decoding: bytes, as: UTF8.self)) {
            return text + ", a pre-GGUF llama.cpp file that must be converted to GGUF again"
        }
        if bytes.first == UInt8(ascii: "{") || (bytes.count == 4 && bytes[2] == 0 && bytes[3] == 0) {
            return text + " (it may be a safetensors or JSON file rather than GGUF)"
        }
        return text
    }

    private static func alignment(in metadata: [String: GGUFValue], file: String) throws(ModelFormatError) -> Int {
        let key = "general.alignment"
        guard let value = metadata[key] else { return defaultAlignment }
        guard let alignment = value.intValue, alignment > 0, alignment <= 1 << 30,
              alignment & (alignment - 1) == 0
        else {
            throw ModelFormatError.invalidMetadata(
                key, "expected a power of two no larger than 2^30, found \(value)", in: file)
        }
        return alignment
    }
}
