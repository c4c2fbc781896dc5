import SealTensor

extension BlockAttention {
    /// Attends the single query at `position` (already in the cache) through the fused kernel
    /// (``DecodeAttention``): one pass over the cached keys and values per KV head, read as they
    /// rest (f32 or f16), instead of two sgemm calls per KV head and chunk. Plans of several
    /// bands (Self-Extend) go band by band (``attendBands(layer:position:shape:)``). Returns
    /// false, doing nothing, for shapes beyond the kernel's limits, which keep the block path.
    /// Writes `[1, q]` into `workspace.attention`.
    func attendFused(layer: Int, position: Int) -> Bool {
        let c = configuration
        let view = cache.decodeView(layer: layer)
        let shape = Workspace.decodeAttentionShape(c, headStride: view.headStride)
        guard shape.isSupported, workspace.decodeAttention.count >= shape.scratchCount else { return false }
        if plan.bands.count > 1 { return attendBands(layer: layer, position: position, shape: shape) }
        // Rotate the token's query heads in place (the block's queries are read nowhere after attention).
        rotary.rotate(row: workspace.queries.pointer, heads: c.headCount,
                      cos: workspace.queryCosines.pointer, sin: workspace.querySines.pointer)
        return DecodeAttention.run(queries: workspace.queries.pointer, cache: view.cache, shape: shape,
                                   length: position + 1, scale: scale, output: workspace.attention.pointer,
                                   scratch: workspace.decodeAttention.pointer, threads: BLAS.threadCount)
    }

    private var rotary: Rotary {
        Rotary(inverseFrequencies: plan.inverseFrequencies, layout: configuration.ropeLayout,
               headDimension: configuration.headDimension)
    }

    private var scale: Float {
        Float(plan.attentionFactor * plan.attentionFactor) / Float(configuration.headDimension).squareRoot()
    }

    /// Self-Extend and any other plan of bands, exactly: each band's keys (those whose distance
    /// from `position` it covers) are attended with the query rotated for that band, and the
    /// calls' results fold into one softmax through their log-sum-exps, which is the same as
    /// merging the bands' logits before a single softmax. The stored band (the last, unbounded)
    /// reads the cache as it rests; a derived band's keys are turned into its positions a piece
    /// of ``DecodeBandScratch/pieceKeys`` at a time, beside their values in fp32.
    private func attendBands(layer: Int, position: Int, shape: DecodeAttention.Shape) -> Bool {
        guard let scratch = workspace.decodeBands else { return false }
        let c = configuration
        let (hd, pairs, kvHeads) = (c.headDimension, c.ropeDimensionCount / 2, c.keyValueHeadCount)
        let output = workspace.attention.pointer
        let running = scratch.logSumExp.pointer
        running.update(repeating: -.infinity, count: c.headCount)
        output.update(repeating: 0, count: c.queryDimension)
        let pieceShape = DecodeAttention.Shape(keyValueHeads: kvHeads, group: shape.group, headDimension: hd,
                                               headStride: DecodeBandScratch.pieceKeys * hd)
        let rotary = self.rotary

        for (index, band) in plan.bands.enumerated() {
            let high = position - band.minimumDistance
            let low = max(0, band.maximumDistance.map { position - $0 } ?? 0)
            guard low <= high else { continue }
            let queries = scratch.queries.pointer
            queries.update(from: workspace.queries.pointer, count: c.queryDimension)
            let table = index * workspace.blockSize * pairs  // the block's row 0 in this band
            rotary.rotate(row: queries, heads: c.headCount,
                          cos: workspace.queryCosines.pointer + table, sin: workspace.querySines.pointer + table)
            if !rotations.isDerived(index) {
                // The stored band is the last, unbounded (PositionEncodingPlan.validate): its keys start at 0.
                let view = cache.decodeView(layer: layer)
                attendPart(queries: queries, cache: view.cache, shape: shape, length: high + 1, into: scratch)
                continue
            }
            var first = low
            while first <= high {
                let count = min(DecodeBandScratch.pieceKeys, high - first + 1)
                let rows = first..<(first + count)
                for head in 0..<kvHeads {
                    let keys = scratch.keys.pointer + head * pieceShape.headStride
                    let values = scratch.values.pointer + head * pieceShape.headStride
                    // Widen the cached keys into the values' slot, turn them into the band's positions.
                    let stored = cache.keys(layer: layer, head: head, rows: rows, widening: values)
                    rotations.derive(band: index, keys: stored, first: first, count: count, headDimension: hd,
                                     rotary: rotary, into: keys)
                    let widened = cache.values(layer: layer, head: head, rows: rows, widening: values)
                    if widened != UnsafePointer(values) { values.update(from: widened, count: count * hd) }
                }
                attendPart(queries: queries, cache: .float(keys: scratch.keys.pointer, values: scratch.values.pointer),
                           shape: pieceShape, length: count, into: scratch)
                first += count
            }
        }
        return true
    }

    /// One kernel call over `length` keys, folded into `workspace.attention` and the running log-sum-exp.
    private func attendPart(queries: UnsafePointer<Float>, cache: DecodeAttention.Cache, shape: DecodeAttention.Shape,
                            length: Int, into scratch: DecodeBandScratch) {
        DecodeAttention.run(queries: queries, cache: cache, shape: shape, length: length, scale: scale,
                            output: scratch.partOutput.pointer, scratch: workspace.decodeAttention.pointer,
                            threads: BLAS.threadCount, logSumExp: scratch.partLogSumExp.pointer)
        DecodeAttention.mergeSoftmax(output: workspace.attention.pointer, logSumExp: scratch.logSumExp.pointer,
                                     part: scratch.partOutput.pointer, partLogSumExp: scratch.partLogSumExp.pointer,
                                     heads: configuration.headCount, headDimension: configuration.headDimension)
    }
}
