import SealTensor

/// One decoder layer's weights in the storage chosen at load; norms and biases stay fp32.
public struct StoredLayer: Sendable {
    public let attentionNorm: FloatBuffer
    public let query: WeightMatrix
    public let key: WeightMatrix
    public let value: WeightMatrix
    public let queryBias: FloatBuffer?
    public let keyBias: FloatBuffer?
    public let valueBias: FloatBuffer?
    /// o_proj as loaded; SEAL scales fold into a copy of it (fp32 storage only).
    public let output: WeightMatrix
    public let feedForwardNorm: FloatBuffer
    public let gate: WeightMatrix
    public let up: WeightMatrix
    public let down: WeightMatrix

    var byteCount: Int {
        [query, key, value, output, gate, up, down].reduce(0) { $0 + $1.byteCount }
            + [attentionNorm, feedForwardNorm].reduce(0) { $0 + $1.byteCount }
            + [queryBias, keyBias, valueBias].reduce(0) { $0 + ($1?.byteCount ?? 0) }
    }
}

/// The weights the forward pass reads: matrices in one ``WeightStorage``, chosen at load.
///
/// With `.f32` every matrix wraps the buffers of ``float32`` (no copy), the form SEAL tuning and
/// the gradient engine read; with `.bf16` or `.q8_0` no fp32 copy of a matrix exists and
/// ``float32`` is `nil`. A matrix whose rows are not a multiple of 32 values stays fp32.
public struct StoredWeights: Sendable {
    public let storage: WeightStorage
    public let tokenEmbedding: WeightMatrix
    public let layers: [StoredLayer]
    public let outputNorm: FloatBuffer
    /// The LM head; the embedding itself when the model ties them.
    public let lmHead: WeightMatrix
    /// The fp32 weights, present only when `storage == .f32`.
    public let float32: ModelWeights?

    /// Wraps fp32 weights (the reference path) without copying them.
    public init(float32 weights: ModelWeights, configuration c: ModelConfiguration) {
        func matrix(_ buffer: FloatBuffer, _ rows: Int, _ columns: Int) -> WeightMatrix {
            WeightMatrix(float32: buffer, rows: rows, columns: columns)
        }
        let d = c.modelDimension, q = c.queryDimension, kv = c.keyValueDimension, f = c.feedForwardDimension
        storage = .f32
        tokenEmbedding = matrix(weights.tokenEmbedding, c.vocabularySize, d)
        lmHead = weights.lmHead === weights.tokenEmbedding ? tokenEmbedding : matrix(weights.lmHead, c.vocabularySize, d)
        outputNorm = weights.outputNorm
        layers = weights.layers.map { l in
            StoredLayer(attentionNorm: l.attentionNorm, query: matrix(l.query, q, d), key: matrix(l.key, kv, d),
                        value: matrix(l.value, kv, d), queryBias: l.queryBias, keyBias: l.keyBias,
                        valueBias: l.valueBias, output: matrix(l.output, d, q), feedForwardNorm: l.feedForwardNorm,
                        gate: matrix(l.gate, f, d), up: matrix(l.up, f, d), down: matrix(l.down, d, f))
        }
        float32 = weights
    }

    init(storage: WeightStorage, tokenEmbedding: WeightMatrix, layers: [StoredLayer], outputNorm: FloatBuffer,
         lmHead: WeightMatrix) {
        self.storage = storage
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.outputNorm = outputNorm
        self.lmHead = lmHead
        float32 = nil
    }

    /// Total bytes held (a tied LM head is counted once).
    public var byteCount: Int {
        let head = lmHead === tokenEmbedding ? 0 : lmHead.byteCount
        return tokenEmbedding.byteCount + outputNorm.byteCount + head + layers.reduce(0) { $0 + $1.byteCount }
    }

    /// Every matrix once (a tied LM head is the embedding): what one decode step reads.
    public var matrices: [WeightMatrix] {
        let head = lmHead === tokenEmbedding ? [] : [lmHead]
        return [tokenEmbedding] + head + layers.flatMap { [$0.query, $0.key, $0.value, $0.output, $0.gate, $0.up, $0.down] }
    }

    /// The widest matrix input, for sizing ``ProductScratch``.
    var widestInput: Int {
        layers.reduce(tokenEmbedding.columns) { max($0, $1.query.columns, $1.output.columns, $1.down.columns) }
    }
}
