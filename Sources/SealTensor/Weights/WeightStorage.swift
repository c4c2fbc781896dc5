/// How a model's matrices are held in memory, chosen when the model is loaded.
///
/// Decoding one token reads every matrix once, so its speed is bounded by bytes per weight:
/// fp32 (4), bf16 (2), Q8_0 (1 byte plus one fp32 scale per 32 values, 1.125). fp32 is the
/// default and the reference path (exact SEAL gradients, the parity tests); the smaller
/// forms trade a little accuracy for decode speed. Norm weights always stay fp32.
public enum WeightStorage: String, Sendable, CaseIterable, Codable {
    case f32
    case bf16
    case q8_0

    /// Bytes one weight takes in this storage, scales included.
    public var bytesPerWeight: Double {
        switch self {
        case .f32: 4
        case .bf16: 2
        case .q8_0: 1 + 4.0 / Double(Q8Block.size)
        }
    }

    /// The accepted spellings, for help texts and error messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Q8_0's block shape: 32 consecutive values of a row share one scale (as in GGUF's Q8_0).
public enum Q8Block {
    public static let size = 32
}
