import SealTensor

/// Keys and values of every processed token, for every layer.
///
/// Layout per layer: keys and values `[kvHead][rowsPerHead][headDimension]`, so the fp32
/// keys of one head over a range of positions are one contiguous `[n, headDimension]`
/// matrix for sgemm. Keys are stored already rotated for one position band (the
/// plan's last); other bands (Self-Extend's neighbours) turn them further per tile
/// (``BandRotations``), so the cache is the size of plain attention's.
///
/// Values rest as fp32 or as IEEE halves (``KVCacheStorage``). Half keys rest in blocks of 16
/// positions, dimension-major (`seal_half.h`), so decode attention scores sixteen keys per vector
/// with no reduction; each head's slab is padded to whole blocks. Readers ask for rows through
/// ``keys(layer:head:rows:widening:)``, which hands fp32 rows in place or widens half rows
/// into the caller's scratch (row-major), one chunk at a time; decode's fused attention reads
/// the rows as they rest (``decodeView(layer:)``).
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
    /// Rows each head's slab holds: `reserved` rounded up to whole key blocks.
    private var rowsPerHead: Int
    let layerCount: Int
    let keyValueHeads: Int
    let headDimension: Int
    let storage: KVCacheStorage
    private var keys: [Slab]
    private var values: [Slab]

    /// One layer's keys or values, `[kvHead][rowsPerHead][headDimension]` (half keys blocked).
    private enum Slab {
        case float(FloatBuffer)
        case half(HalfBuffer)

        init(_ storage: KVCacheStorage, count: Int) {
            switch storage {
            case .f32: self = .float(FloatBuffer(count: count))
            case .f16: self = .half(HalfBuffer(count: count))
            }
        }

        var byteCount: Int {
            switch self {
            case .float(let buffer): buffer.byteCount
            case .half(let buffer): buffer.byteCount
            }
        }
    }

    /// Positions added per growth step (rounded up to whole blocks).
    static let blockPositions = 256

    init(configuration: ModelConfiguration, capacity: Int, storage: KVCacheStorage = .f32) {
        self.capacity = capacity
        self.storage = storage
        layerCount = configuration.layerCount
        keyValueHeads = configuration.keyValueHeadCount
        headDimension = configuration.headDimension
        reserved = min(capacity, Self.blockPositions)
        rowsPerHead = HalfBuffer.wholeKeyBlocks(reserved)
        let perLayer = keyValueHeads * rowsPerHead * headDimension
        keys = (0..<layerCount).map { _ in Slab(storage, count: perLayer) }
        values = (0..<layerCount).map { _ in Slab(storage, count: perLayer) }
    }

    /// Makes room for `positions` tokens (at most `capacity`, which callers check first).
    func reserve(_ positions: Int, keeping count: Int) {
        guard positions > reserved else { return }
        let target = Self.grownReservation(for: positions, reserved: reserved, capacity: capacity)
        let rows = HalfBuffer.wholeKeyBlocks(target)
        for layer in 0..<layerCount {
            keys[layer] = regrow(keys[layer], to: rows, used: count)
            values[layer] = regrow(values[layer], to: rows, used: count)
        }
        reserved = target
        rowsPerHead = rows
    }

    /// Positions to hold when `positions` no longer fit in `reserved`: at least half as many
    /// again (so copying stays amortised), whole blocks, never more than `capacity`. Shared with
    /// ``BandRotations`` so its tables follow the cache.
    static func grownReservation(for positions: Int, reserved: Int, capacity: Int) -> Int {
        let grown = max(positions, reserved + reserved / 2)
        let rounded = (grown + blockPositions - 1) / blockPositions * blockPositions
        return min(capacity, rounded)
    }

    /// Copies the whole blocks holding the first `used` rows of each `[rowsPerHead, hd]` slab into
    /// `[to, hd]` slabs (the layout within a head does not depend on its row count).
    private func regrow(_ old: Slab, to: Int, used: Int) -> Slab {
        let hd = headDimension, from = rowsPerHead, copied = HalfBuffer.wholeKeyBlocks(used) * hd
        let fresh = Slab(storage, count: keyValueHeads * to * hd)
        for head in 0..<keyValueHeads {
            switch (old, fresh) {
            case (.float(let a), .float(let b)):
                (b.pointer + head * to * hd).update(from: a.pointer + head * from * hd, count: copied)
            case (.half(let a), .half(let b)):
                (b.pointer + head * to * hd).update(from: a.pointer + head * from * hd, count: copied)
            default:
                preconditionFailure("a cache slab changed storage")
            }
        }
        return fresh
    }

    /// Stores one key row (rotated for the stored band) of `head` at `position`.
    @inline(__always)
    func storeKey(_ row: UnsafePointer<Float>, layer: Int, head: Int, position: Int) {
        switch keys[layer] {
        case .float(let buffer): (buffer.pointer + (head * rowsPerHead + position) * headDimension).update(from: row, count: headDimension)
        case .half(let buffer): buffer.encodeKey(row, headDimension: headDimension, position: position, head: head * rowsPerHead * headDimension)
        }
    }

    /// Stores one value row of `head` at `position`.
    @inline(__always)
    func storeValue(_ row: UnsafePointer<Float>, layer: Int, head: Int, position: Int) {
        Self.store(row, in: values[layer], at: (head * rowsPerHead + position) * headDimension, count: headDimension)
    }

    /// `[rows.count, headDimension]` fp32 keys of `head` for positions `rows`: the cache itself
    /// for fp32, or the halves widened into `scratch` (room for `rows.count * headDimension`).
    @inline(__always)
    func keys(layer: Int, head: Int, rows: Range<Int>, widening scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        switch keys[layer] {
        case .float(let buffer):
            return UnsafePointer(buffer.pointer + (head * rowsPerHead + rows.lowerBound) * headDimension)
        case .half(let buffer):
            buffer.decodeKeys(rows, headDimension: headDimension, head: head * rowsPerHead * headDimension, into: scratch)
            return UnsafePointer(scratch)
        }
    }

    /// Values of `head` for positions `rows`, as ``keys(layer:head:rows:widening:)``.
    @inline(__always)
    func values(layer: Int, head: Int, rows: Range<Int>, widening scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        Self.read(values[layer], at: (head * rowsPerHead + rows.lowerBound) * headDimension,
                  count: rows.count * headDimension, scratch: scratch)
    }

    /// Layer `layer`'s keys and values as they rest, for ``DecodeAttention`` (which reads halves
    /// directly, half keys in their blocks); keys of head `h` start `h * headStride` elements in.
    func decodeView(layer: Int) -> (cache: DecodeAttention.Cache, headStride: Int) {
        switch (keys[layer], values[layer]) {
        case (.float(let k), .float(let v)): (.float(keys: UnsafePointer(k.pointer), values: UnsafePointer(v.pointer)), rowsPerHead * headDimension)
        case (.half(let k), .half(let v)): (.half(keys: UnsafePointer(k.pointer), values: UnsafePointer(v.pointer)), rowsPerHead * headDimension)
        default: preconditionFailure("a cache's keys and values differ in storage")
        }
    }

    @inline(__always)
    private static func store(_ row: UnsafePointer<Float>, in slab: Slab, at offset: Int, count: Int) {
        switch slab {
        case .float(let buffer): (buffer.pointer + offset).update(from: row, count: count)
        case .half(let buffer): buffer.encode(row, count: count, at: offset)
        }
    }

    @inline(__always)
    private static func read(_ slab: Slab, at offset: Int, count: Int, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        switch slab {
        case .float(let buffer):
            return UnsafePointer(buffer.pointer + offset)
        case .half(let buffer):
            buffer.decode(from: offset, count: count, into: scratch)
            return UnsafePointer(scratch)
        }
    }

    /// Bytes held now.
    var byteCount: Int {
        keys.reduce(0) { $0 + $1.byteCount } + values.reduce(0) { $0 + $1.byteCount }
    }

    /// Bytes a cache of `capacity` positions holds when full, or `nil` if that
    /// overflows `Int` (a window no machine can hold).
    static func byteCount(configuration c: ModelConfiguration, capacity: Int, storage: KVCacheStorage = .f32) -> Int? {
        // keys and values: layers × kvHeads × capacity × hd values each.
        guard capacity <= Int.max - HalfBuffer.keyBlock else { return nil }
        let rows = HalfBuffer.wholeKeyBlocks(max(0, capacity))
        var total = 1
        for factor in [2, c.layerCount, c.keyValueHeadCount, rows, c.headDimension, storage.bytesPerValue] {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return nil }
            total = product
        }
        return total
    }
}
