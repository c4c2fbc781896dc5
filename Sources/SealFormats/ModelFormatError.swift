/// Everything that can go wrong while reading, validating or writing a model file.
///
/// Model files come from the internet, are large, and are often truncated by an
/// interrupted download or produced by a converter of another vintage. Every
/// failure therefore names the file it is about and says, in words a user can
/// act on, what is wrong and what to try next. The structured ``kind`` lets
/// callers (and tests) react to a specific problem without parsing text.
public struct ModelFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or directory, or in-memory source) the problem is about.
    public let file: String
    /// What went wrong, with the details needed to explain it.
    public let kind: Kind

    /// Text taken from the file (names, keys, reasons quoting them) is bounded here, so no
    /// error carries or prints more than a few hundred characters of it.
    public init(file: String, kind: Kind) {
        self.file = file.boundedForMessage(1024)
        self.kind = kind.bounded
    }

    /// The specific problem; each case carries enough context for the message.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened or mapped; `reason` is the system's explanation.
        case cannotOpen(reason: String)
        /// The file could not be written; `reason` is the system's explanation.
        case cannotWrite(reason: String)
        /// The file has no bytes at all.
        case emptyFile
        /// The file does not start with the expected magic; `found` is a printable rendering.
        case wrongMagic(found: String)
        /// A GGUF file written for big-endian machines, which this loader does not read.
        case bigEndian
        /// A GGUF version this loader does not read (only 2 and 3 are supported).
        case unsupportedVersion(Int)
        /// A read of `needed` bytes at offset `at` ran past the end of the file.
        case truncated(needed: Int, at: Int, fileSize: Int, while: String)
        /// A tensor's data lies (partly) outside the file.
        case tensorOutOfBounds(name: String, start: Int, end: Int, fileSize: Int)
        /// A tensor's data offset is not a multiple of the file's alignment.
        case misalignedTensor(name: String, offset: Int, alignment: Int)
        /// A tensor's dimensions are zero, negative, too many, or multiply to an impossible size.
        case absurdDimensions(name: String, dimensions: [UInt64], reason: String)
        /// A quantized tensor whose rows do not consist of whole blocks.
        case rowNotBlockAligned(name: String, rowLength: Int, typeName: String, blockElements: Int)
        /// A GGML type id this loader has never heard of.
        case unknownTensorType(name: String, rawType: UInt32)
        /// A known tensor type that cannot be converted to fp32 here.
        case unsupportedTensorType(name: String, typeName: String)
        /// A metadata value that is malformed or has the wrong type.
        case invalidMetadata(key: String, reason: String)
        /// A metadata key that a caller requires but the file lacks.
        case missingMetadata(key: String)
        /// The same metadata key appears twice.
        case duplicateKey(String)
        /// The same tensor name appears twice.
        case duplicateTensor(String)
        /// A tensor the caller asked for does not exist.
        case missingTensor(String)
        /// A tensor exists but its shape is not the one the caller needs.
        case shapeMismatch(name: String, expected: [Int], found: [Int])
        /// A JSON document (safetensors header, config.json, index) is malformed.
        case invalidJSON(reason: String)
        /// A safetensors dtype that cannot be converted to fp32 here.
        case unsupportedDType(name: String, dtype: String)
        /// A safetensors tensor whose byte range disagrees with its shape and dtype.
        case inconsistentTensorSize(name: String, expectedBytes: Int, foundBytes: Int)
        /// A destination or source buffer is smaller than the tensor needs.
        case bufferSizeMismatch(name: String, needed: Int, provided: Int)
    }

    /// The message without the file prefix.
    public var message: String {
        switch kind {
        case .cannotOpen(let reason):
            return "cannot open the file (\(reason)); check the path and its permissions"
        case .cannotWrite(let reason):
            return "cannot write the file (\(reason)); check the directory exists and is writable"
        case .emptyFile:
            return "the file is empty (0 bytes); the download or conversion probably failed — get it again"
        case .wrongMagic(let found):
            return "not a model file of the expected format: it starts with \(found); "
                + "check that the path points at the right file"
        case .bigEndian:
            return "this GGUF file was written for big-endian machines; "
                + "convert the model again as a little-endian GGUF"
        case .unsupportedVersion(let version):
            if version < 2 {
                return "GGUF version \(version) is too old to be read (versions 2 and 3 are supported); "
                    + "convert the model again with a current llama.cpp"
            }
            return "GGUF version \(version) is newer than this loader understands (versions 2 and 3 are supported); "
                + "convert the model with an older tool or update seal"
        case .truncated(let needed, let offset, let fileSize, let activity):
            return "the file ends too early while \(activity) (\(needed) bytes needed at offset \(offset) "
                + "of a \(fileSize)-byte file); the file is probably truncated or corrupt — download it again"
        case .tensorOutOfBounds(let name, let start, let end, let fileSize):
            return "tensor '\(name)' extends past the end of the file (bytes \(start)..\(end) "
                + "of a \(fileSize)-byte file); the file is probably truncated — download it again"
        case .misalignedTensor(let name, let offset, let alignment):
            return "tensor '\(name)' starts at data offset \(offset), which is not a multiple of the "
                + "file's alignment \(alignment); the file is corrupt or was written by a broken converter"
        case .absurdDimensions(let name, let dimensions, let reason):
            let dims = dimensions.map(String.init).joined(separator: ", ")
            return "tensor '\(name)' has impossible dimensions [\(dims)]: \(reason); the file is corrupt"
        case .rowNotBlockAligned(let name, let rowLength, let typeName, let blockElements):
            return "tensor '\(name)' has rows of \(rowLength) elements, which is not a multiple of the "
                + "\(typeName) block size \(blockElements); the file is corrupt"
        case .unknownTensorType(let name, let rawType):
            return "tensor '\(name)' has unknown GGML type id \(rawType); the file was probably written by a "
                + "newer llama.cpp than this loader knows — use a model quantized to a common type such as Q8_0 or Q4_K"
        case .unsupportedTensorType(let name, let typeName):
            return "tensor '\(name)' is stored as \(typeName), which cannot be dequantized here; "
                + "use a model quantized to F32, F16, BF16, Q8_0, Q4_0/1, Q5_0/1 or a K-quant (Q2_K to Q6_K)"
        case .invalidMetadata(let key, let reason):
            return "metadata '\(key)' is invalid: \(reason)"
        case .missingMetadata(let key):
            return "required metadata '\(key)' is missing; the file was probably converted for another "
                + "architecture or by an incomplete converter"
        case .duplicateKey(let key):
            return "metadata key '\(key)' appears more than once; the file is corrupt"
        case .duplicateTensor(let name):
            return "tensor '\(name)' appears more than once; the file is corrupt"
        case .missingTensor(let name):
            return "tensor '\(name)' is missing; the file does not hold the model this loader expects "
                + "or was converted incompletely"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(Self.render(found)) but \(Self.render(expected)) is needed; "
                + "the weights do not match the model configuration"
        case .invalidJSON(let reason):
            return "invalid JSON: \(reason)"
        case .unsupportedDType(let name, let dtype):
            return "tensor '\(name)' has dtype \(dtype), which cannot be converted to fp32 here "
                + "(F32, F16 and BF16 are supported)"
        case .inconsistentTensorSize(let name, let expectedBytes, let foundBytes):
            return "tensor '\(name)' occupies \(foundBytes) bytes but its shape and dtype need "
                + "\(expectedBytes); the file is corrupt"
        case .bufferSizeMismatch(let name, let needed, let provided):
            return "tensor '\(name)' needs a buffer of \(needed) but one of \(provided) was given"
        }
    }

    public var description: String {
        "\(file): \(message)"
    }

    private static func render(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}

extension ModelFormatError {
    /// A missing tensor in `file`, for loaders that look tensors up by name.
    public static func missingTensor(_ name: String, in file: String) -> ModelFormatError {
        ModelFormatError(file: file, kind: .missingTensor(name))
    }

    /// A tensor whose shape disagrees with the model configuration.
    public static func shapeMismatch(
        _ name: String, expected: [Int], found: [Int], in file: String
    ) -> ModelFormatError {
        ModelFormatError(file: file, kind: .shapeMismatch(name: name, expected: expected, found: found))
    }

    /// A metadata value that exists but cannot be used.
    public static func invalidMetadata(_ key: String, _ reason: String, in file: String) -> ModelFormatError {
        ModelFormatError(file: file, kind: .invalidMetadata(key: key, reason: reason))
    }

    /// A metadata value that the caller requires but the file lacks.
    public static func missingMetadata(_ key: String, in file: String) -> ModelFormatError {
        ModelFormatError(file: file, kind: .missingMetadata(key: key))
    }
}

extension ModelFormatError.Kind {
    /// The same problem with every string shortened by ``Swift/String/boundedForMessage(_:)``.
    var bounded: Self {
        func b(_ text: String) -> String { text.boundedForMessage() }
        func r(_ text: String) -> String { text.boundedForMessage(600) }
        switch self {
        case .cannotOpen(let reason): return .cannotOpen(reason: r(reason))
        case .cannotWrite(let reason): return .cannotWrite(reason: r(reason))
        case .emptyFile, .bigEndian, .unsupportedVersion: return self
        case .wrongMagic(let found): return .wrongMagic(found: r(found))
        case .truncated(let needed, let at, let fileSize, let activity):
            return .truncated(needed: needed, at: at, fileSize: fileSize, while: r(activity))
        case .tensorOutOfBounds(let name, let start, let end, let fileSize):
            return .tensorOutOfBounds(name: b(name), start: start, end: end, fileSize: fileSize)
        case .misalignedTensor(let name, let offset, let alignment):
            return .misalignedTensor(name: b(name), offset: offset, alignment: alignment)
        case .absurdDimensions(let name, let dimensions, let reason):
            return .absurdDimensions(name: b(name), dimensions: Array(dimensions.prefix(8)), reason: r(reason))
        case .rowNotBlockAligned(let name, let rowLength, let typeName, let blockElements):
            return .rowNotBlockAligned(name: b(name), rowLength: rowLength, typeName: typeName, blockElements: blockElements)
        case .unknownTensorType(let name, let rawType): return .unknownTensorType(name: b(name), rawType: rawType)
        case .unsupportedTensorType(let name, let typeName): return .unsupportedTensorType(name: b(name), typeName: typeName)
        case .invalidMetadata(let key, let reason): return .invalidMetadata(key: b(key), reason: r(reason))
        case .missingMetadata(let key): return .missingMetadata(key: b(key))
        case .duplicateKey(let key): return .duplicateKey(b(key))
        case .duplicateTensor(let name): return .duplicateTensor(b(name))
        case .missingTensor(let name): return .missingTensor(b(name))
        case .shapeMismatch(let name, let expected, let found):
            return .shapeMismatch(name: b(name), expected: expected, found: found)
        case .invalidJSON(let reason): return .invalidJSON(reason: r(reason))
        case .unsupportedDType(let name, let dtype): return .unsupportedDType(name: b(name), dtype: b(dtype))
        case .inconsistentTensorSize(let name, let expectedBytes, let foundBytes):
            return .inconsistentTensorSize(name: b(name), expectedBytes: expectedBytes, foundBytes: foundBytes)
        case .bufferSizeMismatch(let name, let needed, let provided):
            return .bufferSizeMismatch(name: b(name), needed: needed, provided: provided)
        }
    }
}
