import SealTensor

/// Causal attention of one block of queries over the cache, one KV group at a time.
///
/// Never materialises the `[heads, n, n]` score matrix: keys are visited in
/// chunks and an online softmax keeps, per query row, the running maximum,
/// the running denominator and an unnormalised output accumulator. All query
/// heads that share a KV head are stacked as rows of one matrix so each chunk
/// costs two sgemm calls per band.
struct BlockAttention {
    let configuration: ModelConfiguration
    let plan: PositionEncodingPlan
    let cache: KVCache
    let workspace: Workspace

    /// Attends rows `0..<rows` (sequence positions `start..<start + rows`, already
    /// written to the cache) for `layer`, writing `[rows, q]` into `workspace.attention`.
    func run(layer: Int, rows: Int, start: Int) {
        let c = configuration
        let hd = c.headDimension
        let perGroup = c.queriesPerKeyValueHead
        let groupRows = rows * perGroup
        let keyCount = start + rows
        let chunk = workspace.keyChunk
        let pairs = c.ropeDimensionCount / 2
        let scale = Float(plan.attentionFactor * plan.attentionFactor) / Float(hd).squareRoot()
        let rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: c.ropeLayout, headDimension: hd)
        let bandQueries = workspace.groupQueries.pointer
        let bandLogits = workspace.groupLogits.pointer
        let merged = workspace.mergedLogits.pointer
        let output = workspace.groupOutput.pointer
        let rowMaximum = workspace.rowMaximum.pointer
        let rowSum = workspace.rowSum.pointer

        for group in 0..<c.keyValueHeadCount {
            // Stack this group's query heads as rows (token r, head k) and rotate per band.
            for band in plan.bands.indices {
                let target = bandQueries + band * groupRows * hd
                for r in 0..<rows {
                    let source = workspace.queries.pointer + r * c.queryDimension + group * perGroup * hd
                    let row = target + r * perGroup * hd
                    row.update(from: source, count: perGroup * hd)
                    let table = (band * workspace.blockSize + r) * pairs
                    rotary.rotate(row: row, heads: perGroup,
                                  cos: workspace.queryCosines.pointer + table, sin: workspace.querySines.pointer + table)
                }
            }
            output.update(repeating: 0, count: groupRows * hd)
            rowMaximum.update(repeating: -.infinity, count: groupRows)
            rowSum.update(repeating: 0, count: groupRows)

            var keyStart = 0
            while keyStart < keyCount {
                let keyEnd = min(keyStart + chunk, keyCount)
                let width = keyEnd - keyStart
                let nearest = max(0, start - (keyEnd - 1))
                let farthest = start + rows - 1 - keyStart
                var used: UInt8 = 0  // bit set of bands with keys in this chunk; no allocation per token
                for (index, band) in plan.bands.enumerated()
                where band.minimumDistance <= farthest && (band.maximumDistance ?? .max) >= nearest {
                    used |= 1 << index
                    let keys = cache.keys(layer: layer, band: index, head: group) + keyStart * hd
                    BLAS.gemm(m: groupRows, n: width, k: hd, alpha: scale,
                              a: bandQueries + index * groupRows * hd, lda: hd,
                              b: keys, ldb: hd, transposeB: true,
                              c: bandLogits + index * groupRows * chunk, ldc: width)
                }
                let needsMask = keyEnd - 1 > start
                let logits: UnsafeMutablePointer<Float>
                if used.nonzeroBitCount == 1 {
                    logits = bandLogits + used.trailingZeroBitCount * groupRows * chunk
                    if needsMask {
                        for row in 0..<groupRows {
                            let query = start + row / perGroup
                            let firstMasked = max(query + 1 - keyStart, 0)
                            if firstMasked < width {
                                (logits + row * width + firstMasked).update(repeating: -.infinity, count: width - firstMasked)
                            }
                        }
                    }
                } else {
                    logits = merged
                    mergeBands(used, rows: groupRows, perGroup: perGroup, start: start,
                               keyStart: keyStart, width: width, into: merged)
                }
                for row in 0..<groupRows {
                    let values = logits + row * width
                    let chunkMaximum = Kernels.maximum(values, count: width)
                    let newMaximum = max(rowMaximum[row], chunkMaximum)
                    let correction = Exponential.exp(rowMaximum[row] - newMaximum)
                    rowMaximum[row] = newMaximum
                    let sum = Exponential.expShiftedSum(values, count: width, shift: newMaximum)
                    rowSum[row] = rowSum[row] * correction + sum
                    if correction != 1 { Kernels.scale(output + row * hd, by: correction, count: hd) }
                }
                BLAS.gemm(m: groupRows, n: hd, k: width,
                          a: logits, lda: width,
                          b: cache.values(layer: layer, head: group) + keyStart * hd, ldb: hd, transposeB: false,
                          beta: 1, c: output, ldc: hd)
                keyStart = keyEnd
            }
            for row in 0..<groupRows {
                let r = row / perGroup
                let head = group * perGroup + row % perGroup
                let target = workspace.attention.pointer + r * c.queryDimension + head * hd
                let inverse = 1 / rowSum[row]
                for i in 0..<hd { target[i] = output[row * hd + i] * inverse }
            }
        }
    }

    /// Builds each row's logits from the band that owns each key's distance.
    private func mergeBands(_ used: UInt8, rows: Int, perGroup: Int, start: Int,
                            keyStart: Int, width: Int, into merged: UnsafeMutablePointer<Float>) {
        let chunk = workspace.keyChunk
        for row in 0..<rows {
            let query = start + row / perGroup
            let target = merged + row * width
            target.update(repeating: -.infinity, count: width)
            for index in plan.bands.indices where used & (1 << index) != 0 {
                let band = plan.bands[index]
                // Keys j with minimumDistance <= query - j <= maximumDistance.
                let low = max(keyStart, band.maximumDistance.map { query - $0 } ?? keyStart)
                let high = min(keyStart + width - 1, query - band.minimumDistance)
                if low > high { continue }
                let source = workspace.groupLogits.pointer + index * rows * chunk + row * width
                (target + (low - keyStart)).update(from: source + (low - keyStart), count: high - low + 1)
            }
        }
    }
}
