import SealTensor

/// Keys and values of every processed token, for every layer.
///
/// Layout per layer: keys and values `[kvHead][reserved][headDimension]`, so the
/// keys of one head over a range of positions are one contiguous `[n, headDimension]`
/// matrix for sgemm. Keys are stored already rotated for one position band (the
/// plan's last); other bands (Self-Extend's neighbours) turn them further per tile
/// (``BandRotations``), so the cache is the size of plain attention's.
///
/// Memory follows the tokens, not the window: the cache starts with room for
/// one block of positions and grows by whole blocks (at least half of what it
/// holds, so copying stays amortised) up to `capacity`. A session with a
/// million-token window that sees a 10-token prompt holds one block, and a decode step allocates only when it crosses a block boundary.
final class KVCache {
    /// Positions the cache may grow to (the session's context window).
    let capacity: Int
    /// Positions memory is held for now (`reserved <= capacity`).
    private(set) var reserved: Int
    let layerCount: Int
    let keyValueHeads: Int
    let headDimension: Int
    private var keys: [FloatBuffer]
    private var values: [FloatBuffer]

    /// Positions added per growth step (rounded up to whole blocks).
    static let blockPositions = 256

    init(configuration: ModelConfiguration, capacity: Int) {
        self.capacity = capacity
        layerCount = configuration.layerCount
        keyValueHeads = configuration.keyValueHeadCount
        headDimension = configuration.headDimension
        reserved = min(capacity, Self.blockPositions)
        let perLayer = keyValueHeads * reserved * headDimension
        keys = (0..<layerCount).map { _ in FloatBuffer(count: perLayer) }
        values = (0..<layerCount).map { _ in FloatBuffer(count: perLayer) }
    }

    /// Makes room for `positions` tokens (at most `capacity`, which callers check first).
    func reserve(_ positions: Int, keeping count: Int) {
        guard positions > reserved else { return }
        let target = Self.grownReservation(for: positions, reserved: reserved, capacity: capacity)
        let hd = headDimension
        let slabs = keyValueHeads
        for layer in 0..<layerCount {
            keys[layer] = Self.regrow(keys[layer], slabs: slabs, from: reserved, to: target, used: count, hd: hd)
            values[layer] = Self.regrow(values[layer], slabs: slabs, from: reserved, to: target, used: count, hd: hd)
        }
        reserved = target
    }

    /// Positions to hold when `positions` no longer fit in `reserved`: at least half as many
    /// again (so copying stays amortised), whole blocks, never more than `capacity`. Shared with
    /// ``BandRotations`` so its tables follow the cache.
    static func grownReservation(for positions: Int, reserved: Int, capacity: Int) -> Int {
        let grown = max(positions, reserved + reserved / 2)
        let rounded = (grown + blockPositions - 1) / blockPositions * blockPositions
        return min(capacity, rounded)
    }

    /// Copies the first `used` rows of each `[from, hd]` slab into `[to, hd]` slabs.
    private static func regrow(_ old: FloatBuffer, slabs: Int, from: Int, to: Int, used: Int, hd: Int) -> FloatBuffer {
        let fresh = FloatBuffer(count: slabs * to * hd)
        for slab in 0..<slabs {
            (fresh.pointer + slab * to * hd).update(from: old.pointer + slab * from * hd, count: used * hd)
        }
        return fresh
    }

    /// Start of `[reserved, headDimension]` keys of one head (rotated for the stored band).
    @inline(__always)
    func keys(layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        keys[layer].pointer + (head * reserved) * headDimension
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
    static func byteCount(configuration c: ModelConfiguration, capacity: Int) -> Int? {
        // keys and values: layers × kvHeads × capacity × hd floats each.
        var total = 1
        for factor in [2, c.layerCount, c.keyValueHeadCount, capacity, c.headDimension, MemoryLayout<Float>.stride] {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return nil }
            total = product
        }
        return total
    }
}
