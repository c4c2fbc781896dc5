import SealTensor

/// Scratch memory for one session, sized once so the decode loop never allocates.
final class Workspace {
    let blockSize: Int
    let bandCount: Int
    /// Tokens per attention tile: a block's rows are split into tiles so both
    /// cores have work; each worker owns one scratch.
    let tileTokens: Int
    let attentionScratch: [AttentionScratch]
    /// Residual stream `[block, d]`.
    let hidden: FloatBuffer
    /// Normalised activations `[block, d]`.
    let normalized: FloatBuffer
    /// Queries `[block, q]` before rotation.
    let queries: FloatBuffer
    /// Keys and values `[block, kv]` before caching.
    let keys: FloatBuffer
    let values: FloatBuffer
    /// Concatenated head outputs `[block, q]`.
    let attention: FloatBuffer
    /// Layer output `[block, d]` before the residual add.
    let projected: FloatBuffer
    /// Feed-forward intermediates `[block, ffn]`.
    let gate: FloatBuffer
    let up: FloatBuffer
    /// RoPE tables for the block: `[band][row][pair]`, for queries and for keys.
    let queryCosines: FloatBuffer
    let querySines: FloatBuffer
    let keyCosines: FloatBuffer
    let keySines: FloatBuffer
    /// Logits of the rows that asked for them `[outputRows, vocab]`.
    let logits: FloatBuffer
    let maximumOutputRows: Int
    /// Scratch for products with bf16 or Q8_0 weights (empty for fp32).
    let products: ProductScratch
    /// Partial softmax states of the fused single-token attention (``DecodeAttention``).
    let decodeAttention: FloatBuffer
    /// Its band-by-band scratch, for plans of more than one band (nil otherwise).
    let decodeBands: DecodeBandScratch?

    /// Query rows of one attention tile.
    private static func tileRows(_ c: ModelConfiguration, blockSize: Int) -> Int {
        min(blockSize, 64) * c.queriesPerKeyValueHead
    }

    /// Floats a workspace of these dimensions holds (what ``byteCount`` reports), for memory
    /// admission before any session exists. Kept beside `init` so the two cannot drift apart
    /// unnoticed (a test compares them).
    static func floatCount(configuration c: ModelConfiguration, blockSize: Int, bandCount: Int,
                           maximumOutputRows: Int, workers: Int, storage: WeightStorage = .f32,
                           widestInput: Int = 0, cache: KVCacheStorage = .f32) -> Int {
        let perRow = 2 * c.modelDimension + 2 * c.queryDimension + 2 * c.keyValueDimension + c.modelDimension
            + 2 * c.feedForwardDimension
        let tables = 4 * bandCount * blockSize * (c.ropeDimensionCount / 2)
        let scratch = max(1, workers) * AttentionScratch.floatCount(rows: tileRows(c, blockSize: blockSize), bands: bandCount,
                                                                    headDimension: c.headDimension, cache: cache)
        let products = storage == .f32 ? 0 : WeightMatrix.tileRows * widestInput
        return blockSize * perRow + tables + maximumOutputRows * c.vocabularySize + scratch + products
            + decodeAttentionCount(c) + (hasDecodeBands(c, bandCount: bandCount) ? DecodeBandScratch.floatCount(c) : 0)
    }

    /// Whether decode attends band by band through the fused kernel (more than one band, a shape it takes).
    static func hasDecodeBands(_ c: ModelConfiguration, bandCount: Int) -> Bool {
        bandCount > 1 && decodeAttentionCount(c) > 0
    }

    /// Floats of ``decodeAttention`` (none where the fused kernel does not take the shape).
    static func decodeAttentionCount(_ c: ModelConfiguration) -> Int {
        let shape = decodeAttentionShape(c, headStride: 0)
        return shape.isSupported ? shape.scratchCount : 0
    }

    /// The fused decode attention's dimensions for this model.
    static func decodeAttentionShape(_ c: ModelConfiguration, headStride: Int) -> DecodeAttention.Shape {
        DecodeAttention.Shape(keyValueHeads: c.keyValueHeadCount, group: c.queriesPerKeyValueHead,
                              headDimension: c.headDimension, headStride: headStride)
    }

    init(configuration c: ModelConfiguration, blockSize: Int, bandCount: Int, maximumOutputRows: Int, workers: Int,
         storage: WeightStorage = .f32, widestInput: Int = 0, cache: KVCacheStorage = .f32) {
        products = ProductScratch(columns: widestInput, storage: storage)
        self.blockSize = blockSize
        self.bandCount = bandCount
        self.maximumOutputRows = maximumOutputRows
        tileTokens = min(blockSize, 64)
        attentionScratch = (0..<max(1, workers)).map { _ in
            AttentionScratch(rows: Self.tileRows(c, blockSize: blockSize), bands: bandCount,
                             headDimension: c.headDimension, cache: cache)
        }
        hidden = FloatBuffer(count: blockSize * c.modelDimension)
        normalized = FloatBuffer(count: blockSize * c.modelDimension)
        queries = FloatBuffer(count: blockSize * c.queryDimension)
        keys = FloatBuffer(count: blockSize * c.keyValueDimension)
        values = FloatBuffer(count: blockSize * c.keyValueDimension)
        attention = FloatBuffer(count: blockSize * c.queryDimension)
        projected = FloatBuffer(count: blockSize * c.modelDimension)
        gate = FloatBuffer(count: blockSize * c.feedForwardDimension)
        up = FloatBuffer(count: blockSize * c.feedForwardDimension)
        let tableSize = bandCount * blockSize * (c.ropeDimensionCount / 2)
        queryCosines = FloatBuffer(count: tableSize)
        querySines = FloatBuffer(count: tableSize)
        keyCosines = FloatBuffer(count: tableSize)
        keySines = FloatBuffer(count: tableSize)
        logits = FloatBuffer(count: maximumOutputRows * c.vocabularySize)
        decodeAttention = FloatBuffer(count: Self.decodeAttentionCount(c))
        decodeBands = Self.hasDecodeBands(c, bandCount: bandCount) ? DecodeBandScratch(c) : nil
    }

    var byteCount: Int {
        [hidden, normalized, queries, keys, values, attention, projected, gate, up, queryCosines, querySines,
         keyCosines, keySines, logits, decodeAttention].reduce(0) { $0 + $1.byteCount }
            + attentionScratch.reduce(0) { $0 + $1.byteCount } + products.byteCount + (decodeBands?.byteCount ?? 0)
    }
}
