import Dispatch
import SealTensor

/// Causal attention of one block of queries over the cache.
///
/// Never materialises the `[heads, n, n]` score matrix: keys are visited in
/// chunks and an online softmax keeps, per query row, the running maximum,
/// the running denominator and an unnormalised output accumulator. The query
/// heads that share a KV head are stacked as rows of one matrix, so each key
/// chunk costs two sgemm calls per band. Work is split into tiles (KV group ×
/// a range of tokens) spread over the workers. OpenBLAS's process-wide thread
/// count is left alone (toggling it per call raced between concurrent sessions);
/// the daemon sets it once at start.
///
/// `@unchecked Sendable`: during `run` the cache is only read, each worker owns
/// its scratch, and tiles write disjoint (token, head) slices of the output.
struct BlockAttention: @unchecked Sendable {
    let configuration: ModelConfiguration
    let plan: PositionEncodingPlan
    let cache: KVCache
    let workspace: Workspace
    let rotations: BandRotations
    /// Single-token blocks take the fused kernel where it applies (``attendFused(layer:position:)``);
    /// false keeps them on the tiled sgemm path (tests compare the two).
    var fusedDecode = true

    /// Attends rows `0..<rows` (sequence positions `start..<start + rows`, already
    /// written to the cache) for `layer`, writing `[rows, q]` into `workspace.attention`.
    func run(layer: Int, rows: Int, start: Int) {
        if rows == 1, fusedDecode, attendFused(layer: layer, position: start) { return }
        let groups = configuration.keyValueHeadCount
        let tile = workspace.tileTokens
        let tilesPerGroup = (rows + tile - 1) / tile
        let tiles = groups * tilesPerGroup
        let workers = min(workspace.attentionScratch.count, tiles)
        if workers <= 1 {
            for index in 0..<tiles { attend(tile: index, tilesPerGroup: tilesPerGroup, layer: layer, rows: rows,
                                            start: start, scratch: workspace.attentionScratch[0]) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < tiles {
                attend(tile: index, tilesPerGroup: tilesPerGroup, layer: layer, rows: rows, start: start,
                       scratch: workspace.attentionScratch[worker])
                index += workers
            }
        }
    }

    private func attend(tile index: Int, tilesPerGroup: Int, layer: Int, rows: Int, start: Int, scratch: AttentionScratch) {
        let group = index / tilesPerGroup
        let firstRow = (index % tilesPerGroup) * workspace.tileTokens
        let tokenCount = min(workspace.tileTokens, rows - firstRow)
        attend(group: group, layer: layer, firstRow: firstRow, tokenCount: tokenCount,
               queryStart: start + firstRow, scratch: scratch)
    }

    /// One KV group, tokens `firstRow..<firstRow + tokenCount` of the block, whose
    /// sequence positions start at `queryStart`.
    private func attend(group: Int, layer: Int, firstRow: Int, tokenCount: Int, queryStart: Int,
                        scratch: AttentionScratch) {
        let c = configuration
        let hd = c.headDimension
        let perGroup = c.queriesPerKeyValueHead
        let rows = tokenCount * perGroup
        let keyCount = queryStart + tokenCount
        let chunk = scratch.keyChunk
        let pairs = c.ropeDimensionCount / 2
        let scale = Float(plan.attentionFactor * plan.attentionFactor) / Float(hd).squareRoot()
        let rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: c.ropeLayout, headDimension: hd)
        let bandQueries = scratch.queries.pointer
        let bandLogits = scratch.logits.pointer
        let output = scratch.output.pointer
        let rowMaximum = scratch.rowMaximum.pointer
        let rowSum = scratch.rowSum.pointer

        // Stack the group's query heads as rows (token t, head k) and rotate them per band.
        for band in plan.bands.indices {
            let target = bandQueries + band * rows * hd
            for t in 0..<tokenCount {
                let r = firstRow + t
                let row = target + t * perGroup * hd
                row.update(from: workspace.queries.pointer + r * c.queryDimension + group * perGroup * hd, count: perGroup * hd)
                let table = (band * workspace.blockSize + r) * pairs
                rotary.rotate(row: row, heads: perGroup,
                              cos: workspace.queryCosines.pointer + table, sin: workspace.querySines.pointer + table)
            }
        }
        output.update(repeating: 0, count: rows * hd)
        rowMaximum.update(repeating: -.infinity, count: rows)
        rowSum.update(repeating: 0, count: rows)

        let lastQuery = queryStart + tokenCount - 1
        var keyStart = 0
        while keyStart < keyCount {
            let keyEnd = min(keyStart + chunk, keyCount)
            let width = keyEnd - keyStart
            // The chunk's keys in fp32: in place, or widened from halves into scratch.
            let chunkKeys = cache.keys(layer: layer, head: group, rows: keyStart..<keyEnd, widening: scratch.widened.pointer)
            var used: UInt8 = 0  // bands with keys in this chunk, as bits; no allocation per token
            for (index, band) in plan.bands.enumerated() {
                // Keys of the chunk that some query of the tile sees through this band: only
                // those are multiplied (and, for a derived band, turned into its positions).
                let low = max(keyStart, band.maximumDistance.map { queryStart - $0 } ?? keyStart)
                let high = min(keyEnd - 1, lastQuery - band.minimumDistance)
                guard low <= high else { continue }
                used |= 1 << index
                var keys = chunkKeys + (low - keyStart) * hd
                if rotations.isDerived(index) {
                    rotations.derive(band: index, keys: keys, first: low, count: high - low + 1, headDimension: hd,
                                     rotary: rotary, into: scratch.derivedKeys.pointer)
                    keys = UnsafePointer(scratch.derivedKeys.pointer)
                }
                BLAS.gemm(m: rows, n: high - low + 1, k: hd, alpha: scale,
                          a: bandQueries + index * rows * hd, lda: hd, b: keys, ldb: hd, transposeB: true,
                          c: bandLogits + index * rows * chunk + (low - keyStart), ldc: width)
            }
            let logits: UnsafeMutablePointer<Float>
            if used.nonzeroBitCount == 1 {
                logits = bandLogits + used.trailingZeroBitCount * rows * chunk
                if keyEnd - 1 > queryStart { maskFuture(logits, rows: rows, perGroup: perGroup, queryStart: queryStart,
                                                        keyStart: keyStart, width: width) }
            } else {
                logits = scratch.merged.pointer
                mergeBands(used, scratch: scratch, rows: rows, perGroup: perGroup, queryStart: queryStart,
                           keyStart: keyStart, width: width)
            }
            for row in 0..<rows {
                let values = logits + row * width
                let newMaximum = max(rowMaximum[row], Kernels.maximum(values, count: width))
                let correction = Exponential.exp(rowMaximum[row] - newMaximum)
                rowMaximum[row] = newMaximum
                let sum = Exponential.expShiftedSum(values, count: width, shift: newMaximum)
                rowSum[row] = rowSum[row] * correction + sum
                if correction != 1 { Kernels.scale(output + row * hd, by: correction, count: hd) }
            }
            // The keys are no longer needed: their scratch takes the chunk's widened values.
            let values = cache.values(layer: layer, head: group, rows: keyStart..<keyEnd, widening: scratch.widened.pointer)
            BLAS.gemm(m: rows, n: hd, k: width, a: logits, lda: width, b: values, ldb: hd, transposeB: false,
                      beta: 1, c: output, ldc: hd)
            keyStart = keyEnd
        }
        for row in 0..<rows {
            let r = firstRow + row / perGroup
            let head = group * perGroup + row % perGroup
            let target = workspace.attention.pointer + r * c.queryDimension + head * hd
            let inverse = 1 / rowSum[row]
            for i in 0..<hd { target[i] = output[row * hd + i] * inverse }
        }
    }

    /// Sets logits of keys after each row's query to -inf (causality).
    private func maskFuture(_ logits: UnsafeMutablePointer<Float>, rows: Int, perGroup: Int, queryStart: Int,
                            keyStart: Int, width: Int) {
        for row in 0..<rows {
            let firstMasked = max(queryStart + row / perGroup + 1 - keyStart, 0)
            if firstMasked < width {
                (logits + row * width + firstMasked).update(repeating: -.infinity, count: width - firstMasked)
            }
        }
    }

    /// Builds each row's logits from the band that owns each key's distance.
    private func mergeBands(_ used: UInt8, scratch: AttentionScratch, rows: Int, perGroup: Int, queryStart: Int,
                            keyStart: Int, width: Int) {
        let chunk = scratch.keyChunk
        for row in 0..<rows {
            let query = queryStart + row / perGroup
            let target = scratch.merged.pointer + row * width
            target.update(repeating: -.infinity, count: width)
            for index in plan.bands.indices where used & (1 << index) != 0 {
                let band = plan.bands[index]
                // Keys j with minimumDistance <= query - j <= maximumDistance.
                let low = max(keyStart, band.maximumDistance.map { query - $0 } ?? keyStart)
                let high = min(keyStart + width - 1, query - band.minimumDistance)
                if low > high { continue }
                let source = scratch.logits.pointer + index * rows * chunk + row * width
                (target + (low - keyStart)).update(from: source + (low - keyStart), count: high - low + 1)
            }
        }
    }
}
