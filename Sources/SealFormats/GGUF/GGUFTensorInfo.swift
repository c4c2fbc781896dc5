/// Where one tensor of a GGUF file lives and how it is stored.
///
/// Everything here has been validated when the file was opened: the type is
/// known, the dimensions are positive and sane, rows are whole blocks, and
/// `absoluteOffset ..< absoluteOffset + byteCount` lies inside the file.
public struct GGUFTensorInfo: Sendable, Hashable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Dimensions in ggml order: `ne0` (the contiguous, innermost one) first.
    public let dimensions: [Int]
    /// Dimensions row-major, outermost first (``dimensions`` reversed), the
    /// convention ``TensorStore`` and Hugging Face use; a linear weight is `[out, in]`.
    public let shape: [Int]
    /// How the elements are stored.
    public let type: GGMLType
    /// Offset of the data from the start of the file's tensor-data section.
    public let relativeOffset: Int
    /// Offset of the data from the start of the file.
    public let absoluteOffset: Int
    /// Size of the stored data in bytes.
    public let byteCount: Int
    /// Number of elements (the product of the dimensions).
    public let elementCount: Int

    public init(
        name: String, dimensions: [Int], type: GGMLType,
        relativeOffset: Int, absoluteOffset: Int, byteCount: Int, elementCount: Int
    ) {
        self.name = name
        self.dimensions = dimensions
        self.shape = dimensions.reversed()
        self.type = type
        self.relativeOffset = relativeOffset
        self.absoluteOffset = absoluteOffset
        self.byteCount = byteCount
        self.elementCount = elementCount
    }

    /// Elements per row (`ne0`), the unit quantized blocks never straddle.
    public var rowLength: Int { dimensions.first ?? 1 }
}
