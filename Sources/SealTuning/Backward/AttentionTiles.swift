import Dispatch
import SealModel
import SealTensor

/// One worker's scratch for a tile of attention rows (tokens × query heads of one KV group).
final class AttentionScratch {
    let rows: Int
    let keyChunk: Int
    /// Scaled logits per band `[band][rows, keyChunk]`.
    let bandLogits: FloatBuffer
    /// Logits merged across bands, then probabilities `[rows, keyChunk]`.
    let merged: FloatBuffer
    /// `dP`, then `dS`, `[rows, keyChunk]`.
    let probabilityGradient: FloatBuffer
    /// `dS` restricted to one band `[rows, keyChunk]`.
    let bandGradient: FloatBuffer
    /// Output accumulator `[rows, hd]` and online-softmax state.
    let output: FloatBuffer
    let rowMaximum: FloatBuffer
    let rowSum: FloatBuffer
    /// This worker's share of the key and value gradients, summed over workers afterwards.
    let keyGradient: FloatBuffer
    let valueGradient: FloatBuffer

    init(shape: TrainingShape, tileTokens: Int, sequenceRows: Int) {
        rows = tileTokens * shape.perGroup
        keyChunk = max(64, min(1024, (1 << 16) / rows))
        bandLogits = FloatBuffer(count: shape.bands * rows * keyChunk)
        merged = FloatBuffer(count: rows * keyChunk)
        probabilityGradient = FloatBuffer(count: rows * keyChunk)
        bandGradient = FloatBuffer(count: rows * keyChunk)
        output = FloatBuffer(count: rows * shape.headDimension)
        rowMaximum = FloatBuffer(count: rows)
        rowSum = FloatBuffer(count: rows)
        keyGradient = FloatBuffer(count: shape.bands * sequenceRows * shape.keyValue)
        valueGradient = FloatBuffer(count: sequenceRows * shape.keyValue)
    }

    var byteCount: Int {
        [bandLogits, merged, probabilityGradient, bandGradient, output, rowMaximum, rowSum, keyGradient, valueGradient]
            .reduce(0) { $0 + $1.byteCount }
    }
}

/// A tile: tokens `firstToken..<firstToken + tokenCount` of one KV group.
struct AttentionTile {
    let group: Int
    let firstToken: Int
    let tokenCount: Int
}

/// The causal, band-merged attention logits of one tile against one chunk of keys,
/// shared by the forward pass and the backward pass so both see the same numbers.
///
/// `@unchecked Sendable`: workers only read the shared inputs and write their own
/// scratch and disjoint tile rows.
struct AttentionGeometry: @unchecked Sendable {
    let shape: TrainingShape
    let bands: [PositionBand]
    /// Sequence length.
    let rows: Int
    let tileTokens: Int
    /// Rotated queries `[band][group][rows · perGroup][hd]` and keys `[band][group][rows][hd]`.
    let queries: UnsafeMutablePointer<Float>
    let keys: UnsafeMutablePointer<Float>
    /// Values `[group][rows][hd]`.
    let values: UnsafeMutablePointer<Float>

    var tileCount: Int { shape.groups * ((rows + tileTokens - 1) / tileTokens) }

    func tile(_ index: Int) -> AttentionTile {
        let perGroup = (rows + tileTokens - 1) / tileTokens
        let first = (index % perGroup) * tileTokens
        return AttentionTile(group: index / perGroup, firstToken: first, tokenCount: min(tileTokens, rows - first))
    }

    /// Start of a tile's query rows for one band.
    func queryRows(band: Int, tile: AttentionTile) -> UnsafeMutablePointer<Float> {
        queries + ((band * shape.groups + tile.group) * rows + tile.firstToken) * shape.perGroup * shape.headDimension
    }

    /// Start of one group's keys in one band.
    func keyRows(band: Int, group: Int) -> UnsafeMutablePointer<Float> {
        keys + (band * shape.groups + group) * rows * shape.headDimension
    }

    func valueRows(group: Int) -> UnsafeMutablePointer<Float> {
        values + group * rows * shape.headDimension
    }

    /// Bit set of the bands that own some (query, key) distance of the tile and chunk.
    func bandsUsed(tile: AttentionTile, keyStart: Int, keyEnd: Int) -> UInt8 {
        let nearest = max(0, tile.firstToken - (keyEnd - 1))
        let farthest = tile.firstToken + tile.tokenCount - 1 - keyStart
        var used: UInt8 = 0
        for (index, band) in bands.enumerated()
        where band.minimumDistance <= farthest && (band.maximumDistance ?? .max) >= nearest {
            used |= 1 << index
        }
        return used
    }

    /// Keys `low...high` of `keyStart..<keyStart + width` whose distance to `query` falls in `band`
    /// (and are not in its future); empty when `low > high`.
    @inline(__always)
    func keyRange(band: PositionBand, query: Int, keyStart: Int, width: Int) -> (low: Int, high: Int) {
        let low = max(keyStart, band.maximumDistance.map { query - $0 } ?? keyStart)
        let high = min(keyStart + width - 1, query - band.minimumDistance)
        return (low, high)
    }

    /// Writes the tile's logits against keys `keyStart..<keyEnd` (future keys -inf) and returns them
    /// `[tile rows, width]`, with the set of bands involved.
    func logits(tile: AttentionTile, keyStart: Int, keyEnd: Int,
                scratch: AttentionScratch) -> (logits: UnsafeMutablePointer<Float>, used: UInt8) {
        let s = shape
        let hd = s.headDimension
        let rows = tile.tokenCount * s.perGroup
        let width = keyEnd - keyStart
        let chunk = scratch.keyChunk
        let used = bandsUsed(tile: tile, keyStart: keyStart, keyEnd: keyEnd)
        for index in bands.indices where used & (1 << index) != 0 {
            BLAS.gemm(m: rows, n: width, k: hd, alpha: s.attentionScale,
                      a: queryRows(band: index, tile: tile), lda: hd,
                      b: keyRows(band: index, group: tile.group) + keyStart * hd, ldb: hd, transposeB: true,
                      c: scratch.bandLogits.pointer + index * rows * chunk, ldc: width)
        }
        if used.nonzeroBitCount == 1 {
            let logits = scratch.bandLogits.pointer + used.trailingZeroBitCount * rows * chunk
            if keyEnd - 1 > tile.firstToken {
                for row in 0..<rows {
                    let firstMasked = max(tile.firstToken + row / s.perGroup + 1 - keyStart, 0)
                    if firstMasked < width {
                        (logits + row * width + firstMasked).update(repeating: -.infinity, count: width - firstMasked)
                    }
                }
            }
            return (logits, used)
        }
        let merged = scratch.merged.pointer
        for row in 0..<rows {
            let query = tile.firstToken + row / s.perGroup
            let target = merged + row * width
            target.update(repeating: -.infinity, count: width)
            for index in bands.indices where used & (1 << index) != 0 {
                let range = keyRange(band: bands[index], query: query, keyStart: keyStart, width: width)
                if range.low > range.high { continue }
                let source = scratch.bandLogits.pointer + index * rows * chunk + row * width
                (target + (range.low - keyStart)).update(from: source + (range.low - keyStart),
                                                         count: range.high - range.low + 1)
            }
        }
        return (merged, used)
    }

    /// Runs `body(tile, worker)` for every tile, spread over `workers` workers. More than one
    /// worker only when OpenBLAS is single-threaded (the engine decides), so the process-wide
    /// BLAS thread count is never touched here.
    func forEachTile(workers: Int, _ body: (AttentionTile, Int) -> Void) {
        let tiles = tileCount
        let workers = max(1, min(workers, tiles))
        if workers == 1 {
            for index in 0..<tiles { body(tile(index), 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = TileWork(body: body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < tiles {
                    work.body(tile(index), worker)
                    index += workers
                }
            }
        }
    }
}

/// The per-tile work handed to the workers: tiles write disjoint rows and per-worker scratch.
private struct TileWork: @unchecked Sendable {
    let body: (AttentionTile, Int) -> Void
}
