/// How a session's KV cache holds keys and values, chosen when the session is made.
///
/// At long contexts decode reads the whole cache once per token, so its bytes, not the
/// weights', come to dominate: a 135M model at 8K positions holds about 377 MB of fp32
/// keys and values against 540 MB of fp32 weights. Half precision halves that read.
/// Arithmetic stays fp32: decode's fused attention (``DecodeAttention``) widens each half as it
/// reads it, and prefill widens a chunk of keys at a time into scratch (no fp32 copy of the
/// cache) for the same sgemm products as with fp32.
/// fp32 is the default and the reference path (the parity tests).
public enum KVCacheStorage: String, Sendable, CaseIterable, Codable {
    /// IEEE single precision, 4 bytes a value.
    case f32
    /// IEEE half precision, 2 bytes a value (rounded to nearest even, saturated at ±65504).
    case f16

    /// Bytes one cached value takes.
    public var bytesPerValue: Int {
        switch self {
        case .f32: MemoryLayout<Float>.stride
        case .f16: MemoryLayout<UInt16>.stride
        }
    }

    /// The accepted spellings, for help texts and error messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Which ``KVCacheStorage`` sessions get, as a deployment chooses it (seald's `model.kv_cache`).
///
/// `auto` keeps fp32 (the reference) for windows the model was trained for and takes f16 for
/// longer ones, where the cache outweighs the weights and decode speed is its read: the measured
/// perplexity cost of f16 is negligible (README, perplexity table).
public enum KVCachePolicy: String, Sendable, CaseIterable, Codable {
    case f32
    case f16
    case auto

    /// The storage for a session of `capacity` positions of a model trained on `trainedContextLength`.
    public func storage(capacity: Int, trainedContextLength: Int) -> KVCacheStorage {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .auto: capacity > trainedContextLength ? .f16 : .f32
        }
    }

    /// The storage for a session of `capacity` positions of `model`.
    public func storage(capacity: Int, model: TransformerModel) -> KVCacheStorage {
        storage(capacity: capacity, trainedContextLength: model.configuration.trainedContextLength)
    }
}
