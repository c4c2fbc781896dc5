import SealTensor

/// Keys and values of every processed token, for every layer.
///
/// Layout per layer: keys `[band][kvHead][reserved][headDimension]`, values
/// `[kvHead][reserved][headDimension]`, so the keys of one head over a range of
/// positions are one contiguous `[n, headDimension]` matrix for sgemm. Keys are
/// stored already rotated, once per position band (one band for plain RoPE,
/// two for Self-Extend), so decoding never re-rotates old keys.
///
/// Memory follows the tokens, not the window: the cache starts with room for
/// one block of positions and grows by whole blocks (at least half of what it
/// holds, so copying stays amortised) up to `capacity`. A session with a
/// million-token window that sees a 10-token prompt holds 10 tokens' worth of
/// blocks, and a decode step allocates only when it crosses a block boundary.
final class KVCache {
    /// Positions the cache may grow to (the session's context window).
    let capacity: Int
    /// Positions memory is held for now (`reserved <= capacity`).
    private(set) var reserved: Int
    let bandCount: Int
    let layerCount: Int
    let keyValueHeads: Int
    let headDimension: Int
    private var keys: [FloatBuffer]
    private var values: [FloatBuffer]

    /// Positions added per growth step (rounded up to whole blocks).
    static let blockPositions = 256

    init(configuration: ModelConfiguration, capacity: Int, bandCount: Int) {
        self.capacity = capacity
        self.bandCount = bandCount
        layerCount = configuration.layerCount
        keyValueHeads = configuration.keyValueHeadCount
        headDimension = configuration.headDimension
        reserved = min(capacity, Self.blockPositions)
        let perLayer = keyValueHeads * reserved * headDimension
        keys = (0..<layerCount).map { _ in FloatBuffer(count: perLayer * bandCount) }
        values = (0..<layerCount).map { _ in FloatBuffer(count: perLayer) }
    }

    /// Makes room for `positions` tokens (at most `capacity`, which callers check first).
    func reserve(_ positions: Int, keeping count: Int) {
        guard positions > reserved else { return }
        let grown = max(positions, reserved + reserved / 2)
        let rounded = (grown + Self.blockPositions - 1) / Self.blockPositions * Self.blockPositions
        let target = min(capacity, rounded)
        let hd = headDimension
        let slabs = keyValueHeads
        for layer in 0..<layerCount {
            keys[layer] = Self.regrow(keys[layer], slabs: slabs * bandCount, from: reserved, to: target, used: count, hd: hd)
            values[layer] = Self.regrow(values[layer], slabs: slabs, from: reserved, to: target, used: count, hd: hd)
        }
        reserved = target
    }

    /// Copies the first `used` rows of each `[from, hd]` slab into `[to, hd]` slabs.
    private static func regrow(_ old: FloatBuffer, slabs: Int, from: Int, to: Int, used: Int, hd: Int) -> FloatBuffer {
        let fresh = FloatBuffer(count: slabs * to * hd)
        for slab in 0..<slabs {
            (fresh.pointer + slab * to * hd).update(from: old.pointer + slab * from * hd, count: used * hd)
        }
        return fresh
    }

    /// Start of `[reserved, headDimension]` keys of one head in one band.
    @inline(__always)
    func keys(layer: Int, band: Int, head: Int) -> UnsafeMutablePointer<Float> {
        keys[layer].pointer + ((band * keyValueHeads + head) * reserved) * headDimension
    }

    /// Start of `[reserved, headDimension]` values of one head.
    @inline(__always)
    func values(layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        values[layer].pointer + (head * reserved) * headDimension
    }

    /// Bytes held now.
    var byteCount: Int {
        keys.reduce(0) { $0 + $1.byteCount } + values.reduce(0) { $0 + $1.byteCount }
    }

    /// Bytes a cache of `capacity` positions holds when full, or `nil` if that
    /// overflows `Int` (a window no machine can hold).
    static func byteCount(configuration c: ModelConfiguration, capacity: Int, bandCount: Int) -> Int? {
        // keys: bands × layers × kvHeads × capacity × hd floats; values the same without bands.
        var total = 1
        for factor in [bandCount + 1, c.layerCount, c.keyValueHeadCount, capacity, c.headDimension, MemoryLayout<Float>.stride] {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return nil }
            total = product
        }
        return total
    }
}
