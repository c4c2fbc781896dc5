import SealTensor

/// Keys and values of every processed token, for every layer.
///
/// Layout per layer: keys `[band][kvHead][capacity][headDimension]`, values
/// `[kvHead][capacity][headDimension]`, so the keys of one head over a range of
/// positions are one contiguous `[n, headDimension]` matrix for sgemm. Keys are
/// stored already rotated, once per position band (one band for plain RoPE,
/// two for Self-Extend), so decoding never re-rotates old keys.
final class KVCache {
    let capacity: Int
    let bandCount: Int
    let keyValueHeads: Int
    let headDimension: Int
    private let keys: [FloatBuffer]
    private let values: [FloatBuffer]

    init(configuration: ModelConfiguration, capacity: Int, bandCount: Int) {
        self.capacity = capacity
        self.bandCount = bandCount
        keyValueHeads = configuration.keyValueHeadCount
        headDimension = configuration.headDimension
        let perLayer = configuration.keyValueHeadCount * capacity * configuration.headDimension
        keys = (0..<configuration.layerCount).map { _ in FloatBuffer(count: perLayer * bandCount) }
        values = (0..<configuration.layerCount).map { _ in FloatBuffer(count: perLayer) }
    }

    /// Start of `[capacity, headDimension]` keys of one head in one band.
    @inline(__always)
    func keys(layer: Int, band: Int, head: Int) -> UnsafeMutablePointer<Float> {
        keys[layer].pointer + ((band * keyValueHeads + head) * capacity) * headDimension
    }

    /// Start of `[capacity, headDimension]` values of one head.
    @inline(__always)
    func values(layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        values[layer].pointer + (head * capacity) * headDimension
    }

    var byteCount: Int {
        keys.reduce(0) { $0 + $1.byteCount } + values.reduce(0) { $0 + $1.byteCount }
    }
}
