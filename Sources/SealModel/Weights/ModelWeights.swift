import SealTensor

/// The fp32 weights of one decoder layer, row-major `[out, in]` for matrices.
public struct LayerWeights: Sendable {
    public let attentionNorm: FloatBuffer
    public let query: FloatBuffer
    public let key: FloatBuffer
    public let value: FloatBuffer
    public let queryBias: FloatBuffer?
    public let keyBias: FloatBuffer?
    public let valueBias: FloatBuffer?
    /// o_proj as loaded from the file; SEAL scales fold into a copy of it.
    public let output: FloatBuffer
    public let feedForwardNorm: FloatBuffer
    public let gate: FloatBuffer
    public let up: FloatBuffer
    public let down: FloatBuffer

    var byteCount: Int {
        [attentionNorm, query, key, value, output, feedForwardNorm, gate, up, down].reduce(0) { $0 + $1.byteCount }
            + [queryBias, keyBias, valueBias].reduce(0) { $0 + ($1?.byteCount ?? 0) }
    }
}

/// All weights of a model, dequantized to fp32 once at load time.
///
/// fp32 keeps every product on OpenBLAS sgemm and makes SEAL's gradients exact;
/// a 135M-parameter model takes about 540 MB.
public struct ModelWeights: Sendable {
    public let tokenEmbedding: FloatBuffer
    public let layers: [LayerWeights]
    public let outputNorm: FloatBuffer
    /// The LM head; the embedding itself when the model ties them.
    public let lmHead: FloatBuffer

    /// Total bytes held (a tied LM head is counted once).
    public var byteCount: Int {
        let head = lmHead === tokenEmbedding ? 0 : lmHead.byteCount
        return tokenEmbedding.byteCount + outputNorm.byteCount + head + layers.reduce(0) { $0 + $1.byteCount }
    }
}
