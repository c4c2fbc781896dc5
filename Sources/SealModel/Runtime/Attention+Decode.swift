import SealTensor

extension BlockAttention {
    /// Attends the single query at `position` (already in the cache) through the fused kernel
    /// (``DecodeAttention``): one pass over the cached keys and values per KV head, read as they
    /// rest (f32 or f16), instead of two sgemm calls per KV head and chunk. Returns false, doing
    /// nothing, where the kernel does not apply: plans with more than one band (Self-Extend,
    /// whose neighbour band turns every key it sees by a position-dependent angle) and shapes
    /// beyond the kernel's limits keep the block path. Writes `[1, q]` into `workspace.attention`.
    func attendFused(layer: Int, position: Int) -> Bool {
        guard plan.bands.count == 1, plan.bands[0].minimumDistance == 0, plan.bands[0].maximumDistance == nil else {
            return false
        }
        let c = configuration
        let view = cache.decodeView(layer: layer)
        let shape = Workspace.decodeAttentionShape(c, headStride: view.headStride)
        guard shape.isSupported, workspace.decodeAttention.count >= shape.scratchCount else { return false }
        // Rotate the token's query heads in place (the block's queries are read nowhere after attention).
        let rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: c.ropeLayout, headDimension: c.headDimension)
        rotary.rotate(row: workspace.queries.pointer, heads: c.headCount,
                      cos: workspace.queryCosines.pointer, sin: workspace.querySines.pointer)
        let scale = Float(plan.attentionFactor * plan.attentionFactor) / Float(c.headDimension).squareRoot()
        return DecodeAttention.run(queries: workspace.queries.pointer, cache: view.cache, shape: shape,
                                   length: position + 1, scale: scale, output: workspace.attention.pointer,
                                   scratch: workspace.decodeAttention.pointer, threads: BLAS.threadCount)
    }
}
