import SealTensor

/// One worker's scratch for attending a tile of query rows of one KV group.
final class AttentionScratch {
    /// Query rows per tile (tokens × query heads of the group).
    let rows: Int
    /// Keys visited per step; long when few rows (decode), short for prefill tiles.
    let keyChunk: Int
    /// Rotated queries `[band][rows, hd]`.
    let queries: FloatBuffer
    /// Scaled logits `[band][rows, keyChunk]`.
    let logits: FloatBuffer
    /// Logits merged across bands `[rows, keyChunk]`.
    let merged: FloatBuffer
    /// Keys of a derived band for one chunk `[keyChunk, hd]` (empty with one band).
    let derivedKeys: FloatBuffer
    /// One chunk of keys, then of values, widened from an f16 cache `[keyChunk, hd]` (empty for fp32).
    let widened: FloatBuffer
    /// Unnormalised output accumulator `[rows, hd]`.
    let output: FloatBuffer
    /// Online-softmax state per row.
    let rowMaximum: FloatBuffer
    let rowSum: FloatBuffer

    /// Keys visited per step for tiles of `rows` query rows.
    static func keyChunk(rows: Int) -> Int { max(64, min(8192, (1 << 16) / max(1, rows))) }

    /// Floats one scratch of these dimensions holds (what ``byteCount`` reports once allocated),
    /// for memory admission before any session exists.
    static func floatCount(rows: Int, bands: Int, headDimension: Int, cache: KVCacheStorage = .f32) -> Int {
        let chunk = keyChunk(rows: rows)
        return bands * rows * headDimension + bands * rows * chunk + rows * chunk
            + (bands > 1 ? chunk * headDimension : 0) + (cache == .f32 ? 0 : chunk * headDimension)
            + rows * headDimension + 2 * rows
    }

    init(rows: Int, bands: Int, headDimension: Int, cache: KVCacheStorage = .f32) {
        self.rows = rows
        keyChunk = Self.keyChunk(rows: rows)
        queries = FloatBuffer(count: bands * rows * headDimension)
        logits = FloatBuffer(count: bands * rows * keyChunk)
        merged = FloatBuffer(count: rows * keyChunk)
        derivedKeys = FloatBuffer(count: bands > 1 ? keyChunk * headDimension : 0)
        widened = FloatBuffer(count: cache == .f32 ? 0 : keyChunk * headDimension)
        output = FloatBuffer(count: rows * headDimension)
        rowMaximum = FloatBuffer(count: rows)
        rowSum = FloatBuffer(count: rows)
    }

    var byteCount: Int {
        [queries, logits, merged, derivedKeys, widened, output, rowMaximum, rowSum].reduce(0) { $0 + $1.byteCount }
    }
}
