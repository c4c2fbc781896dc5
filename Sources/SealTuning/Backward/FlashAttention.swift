import Foundation
import SealTensor

/// Attention forward and backward over a whole sequence, tile by tile and chunk by chunk:
/// never a `[heads, n, n]` matrix.
///
/// The forward pass keeps an online softmax and saves each row's log-sum-exp; the
/// backward pass recomputes the probabilities `P = exp(S - lse)` chunk by chunk from it
/// (flash-attention style) and accumulates
/// `dV += Pᵀ·dO`, `dS = P ⊙ (dO·Vᵀ - Δ)` with `Δ = rowsum(dO ⊙ O)`, `dQ += c·dS·K`, `dK += c·dSᵀ·Q`
/// (`c` the logit scale), per band for Self-Extend plans.
struct FlashAttention: @unchecked Sendable {
    let geometry: AttentionGeometry
    let scratches: [AttentionScratch]

    private var shape: TrainingShape { geometry.shape }

    /// Head outputs `[group][rows · perGroup][hd]` with the online softmax; saves the log-sum-exps.
    func forward(output: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>) {
        let hd = shape.headDimension
        geometry.forEachTile(workers: scratches.count) { tile, worker in
            let scratch = scratches[worker]
            let rows = tile.tokenCount * shape.perGroup
            let accumulator = scratch.output.pointer
            let maximum = scratch.rowMaximum.pointer
            let sum = scratch.rowSum.pointer
            accumulator.update(repeating: 0, count: rows * hd)
            maximum.update(repeating: -.infinity, count: rows)
            sum.update(repeating: 0, count: rows)
            forEachChunk(tile: tile, scratch: scratch) { keyStart, width, logits, _ in
                for row in 0..<rows {
                    let values = logits + row * width
                    let newMaximum = max(maximum[row], Kernels.maximum(values, count: width))
                    let correction = expf(maximum[row] - newMaximum)
                    maximum[row] = newMaximum
                    sum[row] = sum[row] * correction + Exponential.expShiftedSum(values, count: width, shift: newMaximum)
                    if correction != 1 { Kernels.scale(accumulator + row * hd, by: correction, count: hd) }
                }
                BLAS.gemm(m: rows, n: hd, k: width, a: logits, lda: width,
                          b: geometry.valueRows(group: tile.group) + keyStart * hd, ldb: hd, transposeB: false,
                          beta: 1, c: accumulator, ldc: hd)
            }
            let first = (tile.group * geometry.rows + tile.firstToken) * shape.perGroup
            for row in 0..<rows {
                let inverse = 1 / sum[row]
                let target = output + (first + row) * hd
                for i in 0..<hd { target[i] = accumulator[row * hd + i] * inverse }
                logSumExp[first + row] = maximum[row] + logf(sum[row])
            }
        }
    }

    /// Gradients of the rotated queries (per band), rotated keys (per band) and values, from the
    /// gradient of the head outputs `[group][rows · perGroup][hd]`.
    func backward(output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  logSumExp: UnsafePointer<Float>, rowDelta: UnsafeMutablePointer<Float>,
                  queryGradient: UnsafeMutablePointer<Float>, keyGradient: UnsafeMutablePointer<Float>,
                  valueGradient: UnsafeMutablePointer<Float>) {
        let s = shape
        let hd = s.headDimension
        let n = geometry.rows
        for scratch in scratches {
            scratch.keyGradient.pointer.update(repeating: 0, count: s.bands * n * s.keyValue)
            scratch.valueGradient.pointer.update(repeating: 0, count: n * s.keyValue)
        }
        geometry.forEachTile(workers: scratches.count) { tile, worker in
            let scratch = scratches[worker]
            let rows = tile.tokenCount * s.perGroup
            let first = (tile.group * n + tile.firstToken) * s.perGroup
            let gradientRows = outputGradient + first * hd
            for row in 0..<rows {
                rowDelta[first + row] = Kernels.dot(gradientRows + row * hd, output + (first + row) * hd, count: hd)
            }
            for band in 0..<s.bands {
                (queryGradient + band * n * s.query + first * hd).update(repeating: 0, count: rows * hd)
            }
            forEachChunk(tile: tile, scratch: scratch) { keyStart, width, probabilities, used in
                self.exponentiate(probabilities, rows: rows, width: width, logSumExp: logSumExp + first)
                // dV += Pᵀ·dO
                BLAS.gemm(m: width, n: hd, k: rows, a: probabilities, lda: width, transposeA: true,
                          b: gradientRows, ldb: hd, transposeB: false, beta: 1,
                          c: scratch.valueGradient.pointer + (tile.group * n + keyStart) * hd, ldc: hd)
                // dS = P ⊙ (dO·Vᵀ - Δ)
                let scores = scratch.probabilityGradient.pointer
                BLAS.gemm(m: rows, n: width, k: hd, a: gradientRows, lda: hd,
                          b: geometry.valueRows(group: tile.group) + keyStart * hd, ldb: hd, transposeB: true,
                          c: scores, ldc: width)
                for row in 0..<rows {
                    let delta = rowDelta[first + row]
                    let p = probabilities + row * width
                    let d = scores + row * width
                    for j in 0..<width { d[j] = p[j] * (d[j] - delta) }
                }
                for band in 0..<s.bands where used & (1 << band) != 0 {
                    let bandScores = used.nonzeroBitCount == 1
                        ? scores : self.restrict(scores, to: band, tile: tile, keyStart: keyStart, width: width,
                                                 into: scratch.bandGradient.pointer)
                    // dQ += c·dS·K, dK += c·dSᵀ·Q
                    BLAS.gemm(m: rows, n: hd, k: width, alpha: s.attentionScale, a: bandScores, lda: width,
                              b: geometry.keyRows(band: band, group: tile.group) + keyStart * hd, ldb: hd,
                              transposeB: false, beta: 1,
                              c: queryGradient + band * n * s.query + first * hd, ldc: hd)
                    BLAS.gemm(m: width, n: hd, k: rows, alpha: s.attentionScale, a: bandScores, lda: width,
                              transposeA: true, b: geometry.queryRows(band: band, tile: tile), ldb: hd,
                              transposeB: false, beta: 1,
                              c: scratch.keyGradient.pointer + ((band * s.groups + tile.group) * n + keyStart) * hd,
                              ldc: hd)
                }
            }
        }
        keyGradient.update(from: scratches[0].keyGradient.pointer, count: s.bands * n * s.keyValue)
        valueGradient.update(from: scratches[0].valueGradient.pointer, count: n * s.keyValue)
        for scratch in scratches.dropFirst() {
            Kernels.add(scratch.keyGradient.pointer, into: keyGradient, count: s.bands * n * s.keyValue)
            Kernels.add(scratch.valueGradient.pointer, into: valueGradient, count: n * s.keyValue)
        }
    }

    /// Calls `body(keyStart, width, logits, bandsUsed)` for each key chunk the tile attends.
    private func forEachChunk(tile: AttentionTile, scratch: AttentionScratch,
                              _ body: (Int, Int, UnsafeMutablePointer<Float>, UInt8) -> Void) {
        var keyStart = 0
        let keyCount = tile.firstToken + tile.tokenCount
        while keyStart < keyCount {
            let keyEnd = min(keyStart + scratch.keyChunk, keyCount)
            let (logits, used) = geometry.logits(tile: tile, keyStart: keyStart, keyEnd: keyEnd, scratch: scratch)
            body(keyStart, keyEnd - keyStart, logits, used)
            keyStart = keyEnd
        }
    }

    /// Logits to probabilities in place: `exp(S - lse)` (masked logits become 0).
    private func exponentiate(_ logits: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                              logSumExp: UnsafePointer<Float>) {
        for row in 0..<rows {
            _ = Exponential.expShiftedSum(logits + row * width, count: width, shift: logSumExp[row])
        }
    }

    /// Copies `dS` keeping only the (query, key) pairs whose distance `band` owns.
    private func restrict(_ scores: UnsafePointer<Float>, to band: Int, tile: AttentionTile, keyStart: Int,
                          width: Int, into target: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let rows = tile.tokenCount * shape.perGroup
        target.update(repeating: 0, count: rows * width)
        for row in 0..<rows {
            let query = tile.firstToken + row / shape.perGroup
            let range = geometry.keyRange(band: geometry.bands[band], query: query, keyStart: keyStart, width: width)
            if range.low > range.high { continue }
            (target + row * width + (range.low - keyStart)).update(from: scores + row * width + (range.low - keyStart),
                                                                   count: range.high - range.low + 1)
        }
        return target
    }
}
